// One status per cloud: the stored compliance snapshot. The same value reaches the cloud page, the
// status API, the badge (the app's route and the front process's own query), the metrics and the
// notifications; and a change by time alone (results expiring, nothing written) is notified exactly
// once, even when several readers recompute the snapshot at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { approvedAttestation, ctxOf, makeOrg, makeUser, uid } from './support/fixtures';
import { cloudCompliance } from '../../lib/compliance';
import { publicBadgeStatus, publicCloud, statusJson } from '../../lib/compliance/public';
import { badgeAnswer, storedBadge } from '../../lib/compliance/badge';
import { prometheusMetrics } from '../../lib/compliance/exports';
import { refreshWhere } from '../../lib/compliance/snapshot';
import { db, Prisma } from '../../lib/db';
import { fixedClock, resetClock, setClock } from '../../lib/clock';
import type { RequestContext } from '../../lib/context';

// Wednesday: results checked now expire on Monday 2027-03-15 00:00 (add_period, week).
const T0 = new Date('2027-03-03T10:00:00Z');
const EXPIRY = new Date('2027-03-15T00:00:00Z');
const DAY = 86_400_000;
const clock = fixedClock(T0);
let staff: RequestContext;
let pool: pg.Pool;

beforeAll(async () => {
  setClock(clock);
  staff = ctxOf(await makeUser('reviewer'));
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  resetClock();
  await pool.end();
});

async function world() {
  const org = await makeOrg({ prefix: 'status-org' });
  const cloud = await db.cloud.create({
    data: {
      slug: `status-${uid()}`,
      name: 'Status cloud',
      organizationId: org.id,
      public: true,
      createdAt: new Date(T0.getTime() - 30 * DAY),
    },
  });
  const run = await db.run.create({
    data: { cloudId: cloud.id, status: 'finished', trigger: 'schedule', queuedAt: T0, startedAt: T0, finishedAt: T0 },
  });
  await db.runResult.createMany({
    data: ['scs-0116-presence', 'scs-0116-permissions'].map((testcase) => ({
      runId: run.id,
      cloudId: cloud.id,
      testcase,
      verdict: 'PASS' as const,
      message: 'ok',
      durationMs: 5,
      checkedAt: T0,
    })),
  });
  await approvedAttestation(cloud.id, T0, new Date(T0.getTime() + 91 * DAY));
  return { org, cloud, run };
}

/** Every place a cloud's status is shown, read the way each of them reads it. */
async function everywhere(slug: string) {
  const page = await cloudCompliance(staff, slug);
  const api = statusJson(await publicCloud(slug), 'https://status.example');
  const appBadge = await publicBadgeStatus(slug);
  const front = await storedBadge(async (sql, params) => (await pool.query(sql, params)).rows, slug, clock.now());
  const metrics = await prometheusMetrics(staff);
  const metric = (standard: string) =>
    metrics
      .split('\n')
      .find((l) => l.startsWith(`scs_km_cloud_status{cloud="${slug}",`) && l.includes(`standard="${standard}"`));
  return {
    page: [page.status, page.official?.status],
    api: [api.status, api.official?.status, api.versions.find((v) => v.standard === 'scs-0116-v1')?.status],
    versions: api.versions.map((v) => v.standard),
    appBadge: appBadge.status,
    front: front === 'stale' || front === 'not-found' ? front : front.status,
    frontSvg: front === 'stale' || front === 'not-found' ? '' : badgeAnswer(front).body,
    metrics: [
      metric('scs-0116-v1')?.match(/status="(\w+)"/)?.[1],
      metric('scs-compatible-iaas/v5.1')?.match(/status="(\w+)"/)?.[1],
    ],
  };
}

const changes = (cloudId: string) =>
  db.notification.findMany({ where: { cloudId, kind: 'statusChange' }, orderBy: { createdAt: 'asc' } });

describe('one status', () => {
  it('feeds page, API, badge (app and front), metrics and notifications alike, and time alone changes it once', async () => {
    const { cloud, run } = await world();
    clock.set(new Date(T0.getTime() + 3_600_000));
    const before = await everywhere(cloud.slug);
    expect(before).toMatchObject({
      page: ['PASS', 'PASS'],
      api: ['PASS', 'PASS', 'PASS'],
      appBadge: 'PASS',
      front: 'PASS',
      metrics: ['PASS', 'PASS'],
    });
    expect(before.versions).toEqual(['scs-compatible-iaas/v5.1', 'scs-0116-v1', 'scs-0116-draft']);
    expect(before.frontSvg).toContain('PASS');
    // A new cloud starts from MISS: the first computation queued one change (MISS -> PASS, both).
    const first = await changes(cloud.id);
    expect(first).toHaveLength(1);
    expect(first[0].data).toMatchObject({
      from: 'MISS',
      to: 'PASS',
      official: { from: 'MISS', to: 'PASS' },
      runId: run.id,
    });

    // Nothing is written; the clock passes the results' expiry. The stored snapshot went stale at
    // exactly that instant, and five readers recompute it at once: one stores it and queues the change.
    clock.set(EXPIRY);
    await Promise.all([
      refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`),
      refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`),
      cloudCompliance(staff, cloud.slug),
      publicBadgeStatus(cloud.slug),
      refreshWhere(Prisma.sql`c."archivedAt" IS NULL`),
    ]);
    const after = await everywhere(cloud.slug);
    expect(after).toMatchObject({
      page: ['MISS', 'MISS'],
      api: ['MISS', 'MISS', 'MISS'],
      appBadge: 'MISS',
      front: 'MISS',
      metrics: ['MISS', 'MISS'],
    });
    expect(after.frontSvg).toContain('MISS');
    const all = await changes(cloud.id);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({
      subject: `${cloud.slug}: scs-0116-v1 PASS -> MISS, SCS v5.1 PASS -> MISS`,
      dedupeKey: `status-change:${cloud.id}:2`,
      data: { from: 'PASS', to: 'MISS', official: { from: 'PASS', to: 'MISS', version: 'scs-compatible-iaas/v5.1' } },
    });
    expect(all[1].body).toContain(
      'scs-0116-permissions is MISS: The latest result (PASS, 2027-03-03 10:00 UTC) expired',
    );

    // Reading again, later, and another pass of the hourly job: no change, no message.
    clock.set(new Date(EXPIRY.getTime() + 3_600_000));
    await refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`);
    await cloudCompliance(staff, cloud.slug);
    expect(await changes(cloud.id)).toHaveLength(2);

    // Each change is one outbox message, queued for the dispatcher, with the statuses and the run
    // its e-mails and webhooks name (the time-only change names the latest run).
    expect(all.map((n) => [n.status, n.fromStatus, n.toStatus, n.runId])).toEqual([
      ['queued', 'MISS', 'PASS', run.id],
      ['queued', 'PASS', 'MISS', run.id],
    ]);
  });

  it('does not notify a rule change for a status that was never stored before (no baseline yet)', async () => {
    const { cloud } = await world();
    clock.set(new Date(T0.getTime() + 3_600_000));
    await cloudCompliance(staff, cloud.slug);
    // As after the deploy that added the official verdict: a computed snapshot without it.
    await db.complianceSnapshot.update({ where: { cloudId: cloud.id }, data: { officialStatus: null, format: 0 } });
    const n = (await changes(cloud.id)).length;
    await cloudCompliance(staff, cloud.slug);
    expect(await changes(cloud.id)).toHaveLength(n);
    expect((await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: cloud.id } })).officialStatus).toBe(
      'PASS',
    );
  });
});
