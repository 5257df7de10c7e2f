// `npm run seed:demo`: a living dashboard for a newcomer. Fills the database (DATABASE_URL, or the
// embedded one under DATA_DIR) with three organizations, six clouds and 18 months of history.
//
// How the history is made (no hand-typed rows):
//   1. Three OpenStack simulators (lab/simulator) play three kinds of cloud: a healthy Barbican
//      ("policy: creator"), one whose key manager is missing from the catalog, and one whose key
//      manager answers 503 (an outage). For every demo cloud the REAL checks run against the
//      simulator of its profile through the real run path (lib/runs createRun + executeRun), a few
//      times, so its runs, verdicts and messages are genuine results of our code.
//   2. Those results are the templates: each past day of the 18 months gets one scheduled run whose
//      results copy the verdict and message of the template for that day's state. The state follows
//      a per-cloud script with realistic variation: mostly healthy, outage days (ABORT), regressions
//      lasting a few days (FAIL of scs-0116-permissions, from the simulator's real FAIL message), a
//      late key-manager deployment for one cloud, and random gaps (no run that day).
//   3. Attestations: approved ones for most clouds (through a direct insert of the decided state),
//      and a certificate for the clouds whose status is PASS now.
// Re-running adds a new set of clouds only if the demo organizations do not exist yet.

import { connectDatabase } from '../lib/db/connect';
import { applyMigrations } from '../lib/db/migrate';
import { db } from '../lib/db';
import { systemActor } from '../lib/auth/policy';
import { createRun, executeRun, RunHeartbeat } from '../lib/runs';
import { OpenStackSimulator, simulatorCloud } from '../lab/simulator';
import { evaluateClouds } from '../lib/compliance';
import { OFFICIAL_TESTCASE_IDS } from '../lib/checks';

const DAYS = 548;
const ctx = { actor: systemActor('seed-demo'), clientAddress: null, via: 'seed-demo' };
type Profile = 'healthy' | 'no-key-manager' | 'outage' | 'regression';

const ORGS = [
  {
    slug: 'demo-nordcloud',
    name: 'Nordcloud Demo GmbH',
    clouds: [
      { slug: 'demo-nord-fra1', name: 'Nord FRA1', public: true, script: 'steady' },
      { slug: 'demo-nord-ber1', name: 'Nord BER1', public: true, script: 'regressions' },
    ],
  },
  {
    slug: 'demo-alpencloud',
    name: 'Alpencloud Demo AG',
    clouds: [
      { slug: 'demo-alpen-muc', name: 'Alpen MUC', public: true, script: 'late-key-manager' },
      { slug: 'demo-alpen-vie', name: 'Alpen VIE (private)', public: false, script: 'outages' },
    ],
  },
  {
    slug: 'demo-kuestenhost',
    name: 'Küstenhost Demo eG',
    clouds: [
      { slug: 'demo-kueste-ham', name: 'Küste HAM', public: true, script: 'broken-now' },
      { slug: 'demo-kueste-kie', name: 'Küste KIE', public: false, script: 'steady' },
    ],
  },
] as const;

/** The demo cloud's certified endpoint (a name, not reached: the history's runs are copies of real ones). */
const demoEndpoint = (slug: string) => `https://keystone.${slug}.demo.example`;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** The profile of a cloud on day d (0 = today, DAYS-1 = 18 months ago), or null for no run. */
function profileOn(script: string, d: number, r: () => number): Profile | null {
  if (r() < 0.03) return null; // a missed day now and then
  if (r() < 0.01) return 'outage';
  switch (script) {
    case 'regressions':
      return d % 97 < 3 ? 'regression' : 'healthy';
    case 'late-key-manager':
      return d > 300 ? 'no-key-manager' : 'healthy';
    case 'outages':
      return d % 45 < 2 ? 'outage' : 'healthy';
    case 'broken-now':
      return d < 4 ? 'regression' : 'healthy';
    default:
      return 'healthy';
  }
}

async function main() {
  const database = await connectDatabase();
  try {
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    if (await db.organization.findUnique({ where: { slug: ORGS[0].slug } })) {
      console.log('demo data exists already (organization demo-nordcloud); nothing to do');
      return;
    }
    const sims: Record<Exclude<Profile, 'regression'>, OpenStackSimulator> & { regression: OpenStackSimulator } = {
      healthy: await new OpenStackSimulator({ policy: 'creator' }).start(),
      'no-key-manager': await new OpenStackSimulator({ policy: 'creator', keyManagerInCatalog: false }).start(),
      outage: await new OpenStackSimulator({ policy: 'creator' }).start(),
      // Barbican's default policy: a member cannot read what it stored -> scs-0116-permissions FAILs.
      regression: await new OpenStackSimulator({ policy: 'default' }).start(),
    };
    sims.outage.addFault({ service: 'barbican', action: { kind: 'status', status: 503 } });
    const heartbeat = new RunHeartbeat(5_000);
    heartbeat.start();
    const templates = new Map<
      Profile,
      Array<{ testcase: string; verdict: 'PASS' | 'FAIL' | 'ABORT'; message: string; durationMs: number }>
    >();
    try {
      for (const org of ORGS) {
        const o = await db.organization.create({ data: { slug: org.slug, name: org.name } });
        for (const c of org.clouds) {
          const cloud = await db.cloud.create({
            data: {
              slug: c.slug,
              name: c.name,
              organizationId: o.id,
              public: c.public,
              description: `Demo cloud (${c.script}).`,
              // Its certified endpoint, as staff would pin it: the daily runs below are recorded against it.
              certifiedAuthUrl: demoEndpoint(c.slug),
              certifiedRegion: 'RegionOne',
              pinnedAt: new Date(Date.now() - (DAYS + 5) * 86_400_000),
              pinnedByLabel: 'seed-demo',
            },
          });
          // 1. The real checks against the simulator of each profile this cloud goes through.
          for (const profile of ['healthy', 'regression', 'outage', 'no-key-manager'] as Profile[]) {
            if (templates.has(profile) && profile !== 'healthy') continue;
            const { run } = await createRun(
              ctx,
              { cloudId: cloud.id },
              { trigger: 'manual', testcases: [...OFFICIAL_TESTCASE_IDS] },
            );
            await executeRun(run.id, { resolver: async () => simulatorCloud(sims[profile], 'member'), heartbeat });
            const results = await db.runResult.findMany({
              where: { runId: run.id },
              select: { testcase: true, verdict: true, message: true, durationMs: true },
            });
            templates.set(profile, results);
            // Move this real run to a day in the past, so "today" is written by the history below.
            await db.$executeRawUnsafe(
              `UPDATE "Run" SET "queuedAt" = "queuedAt" - interval '${DAYS + 2} days', "startedAt" = "startedAt" - interval '${DAYS + 2} days', "finishedAt" = "finishedAt" - interval '${DAYS + 2} days' WHERE id = $1::uuid`,
              run.id,
            );
            await db.$executeRawUnsafe(
              `UPDATE "RunResult" SET "checkedAt" = "checkedAt" - interval '${DAYS + 2} days' WHERE "runId" = $1::uuid`,
              run.id,
            );
          }
          // 2. Expand: one scheduled run per day with the template results of that day's state.
          const r = rng([...c.slug].reduce((n, ch) => n * 31 + ch.charCodeAt(0), 7));
          const rows: Array<{ d: number; profile: Profile }> = [];
          for (let d = DAYS - 1; d >= 0; d--) {
            const p = profileOn(c.script, d, r);
            if (p) rows.push({ d, profile: p });
          }
          for (const { d, profile } of rows) {
            const at = new Date(Date.now() - d * 86_400_000 - Math.floor(r() * 3_600_000));
            await db.run.create({
              data: {
                cloudId: cloud.id,
                status: 'finished',
                trigger: 'schedule',
                testcases: [...OFFICIAL_TESTCASE_IDS],
                queuedAt: at,
                startedAt: at,
                finishedAt: new Date(at.getTime() + 3000),
                authUrl: demoEndpoint(c.slug),
                region: 'RegionOne',
                results: {
                  create: templates.get(profile)!.map((t) => ({
                    cloudId: cloud.id,
                    testcase: t.testcase,
                    verdict: t.verdict,
                    message: t.message,
                    durationMs: Math.round(t.durationMs * (0.7 + r() * 0.6)),
                    checkedAt: at,
                  })),
                },
              },
            });
          }
          // 3. The attestation (manual testcase): approved 30 days ago for all but the outage-prone cloud.
          if (c.script !== 'outages') {
            await db.attestation.create({
              data: {
                cloudId: cloud.id,
                revision: 1,
                state: 'approved',
                standard: 'scs-0116-v1',
                statement: {},
                createdByLabel: 'seed-demo',
                submittedAt: new Date(Date.now() - 32 * 86_400_000),
                decidedAt: new Date(Date.now() - 30 * 86_400_000),
                approvedAt: new Date(Date.now() - 30 * 86_400_000),
                expiresAt: new Date(Date.now() + 61 * 86_400_000),
              },
            });
          }
          console.log(`${c.slug}: ${rows.length} days of runs (${c.script})`);
        }
      }
      // Certificates for the clouds that PASS now.
      const clouds = await db.cloud.findMany({
        where: { slug: { startsWith: 'demo-' } },
        select: {
          id: true,
          slug: true,
          name: true,
          public: true,
          archivedAt: true,
          region: true,
          publicRunMessages: true,
          schedule: true,
          nextRunAt: true,
          organization: { select: { id: true, slug: true, name: true } },
        },
      });
      for (const c of await evaluateClouds(clouds)) {
        if (c.status !== 'PASS') continue;
        const grantedAt = new Date(Date.now() - 20 * 86_400_000);
        await db.certificate.create({
          data: {
            cloudId: c.cloud.id,
            standard: 'scs-0116-v1',
            grantedAt,
            validUntil: new Date(grantedAt.getTime() + 365 * 86_400_000),
            grantedByLabel: 'seed-demo',
          },
        });
        console.log(`${c.cloud.slug}: certificate granted`);
      }
    } finally {
      heartbeat.stop();
      for (const s of Object.values(sims)) await s.stop();
    }
    console.log('demo data ready: sign in and open /compliance, or the public /status');
  } finally {
    await db.$disconnect().catch(() => {});
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
