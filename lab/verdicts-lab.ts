// The verdicts of the dashboard against the real lab (issue 11), on a temporary PostgreSQL: real
// runs through the vault, the run executor and the stored compliance snapshot, then the official SCS
// verdict (scs-compatible-iaas v5.1: only scs-0116-permissions decides) and this dashboard's full
// profile scs-0116-v1, as the cloud page and the status API show them:
//   - a member of a project whose Barbican maps creator to member: official PASS;
//   - Barbican with the upstream default policy (member denied): official FAIL;
//   - a region without a key manager: scs-0116-presence FAIL, a warning in our profile (recommended),
//     while the official verdict follows scs-0116-permissions alone;
//   - a credential for another endpoint than the pinned certified one counts for nothing.
// Called from lab/test-lab.ts with the lab's facts and its record function; the work runs in a child
// process of its own (its own database client and migration engine, whatever the caller loaded).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { systemActor } from '../lib/auth/policy';
import type { LabJson } from './lab-control';

type Record = (name: string, ok: boolean, detail?: string) => void;

export async function verdictsAgainstLab(j: LabJson, cloudsYamlPath: string, record: Record): Promise<void> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], {
    input: JSON.stringify({ j, cloudsYamlPath }),
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = (child.stdout ?? '').split('\n').filter((l) => l.startsWith('RECORD '));
  for (const l of lines) {
    const r = JSON.parse(l.slice('RECORD '.length)) as { name: string; ok: boolean; detail: string };
    record(r.name, r.ok, r.detail);
  }
  if (child.status !== 0 || lines.length === 0)
    record(
      'verdicts: the lab verdict checks ran to the end',
      false,
      `exit ${child.status}${child.error ? `: ${child.error.message}` : ''}`,
    );
}

async function verdicts(j: LabJson, cloudsYamlPath: string, record: Record): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-lab-verdicts-'));
  const database = await startEmbeddedDatabase({ dataDir });
  const previousEnv = { ...process.env };
  try {
    Object.assign(process.env, { DATABASE_URL: database.url, DATA_DIR: dataDir, KEK_PROVIDER: 'file' });
    await applyMigrations(database.url);
    const credentials = await import('../lib/credentials');
    credentials.setVault(undefined);
    await credentials.assertVaultReady();
    const { createOrganization } = await import('../lib/organizations');
    const { createCloud } = await import('../lib/clouds');
    const { createRun, executeRun, getRun, RunHeartbeat } = await import('../lib/runs');
    const { defaultResolver } = await import('../lib/runs/cloud-config');
    const { cloudCompliance, statusOf } = await import('../lib/compliance');
    const { statusJson } = await import('../lib/compliance/public');
    const pins = await import('../lib/compliance/certified-endpoint');
    const { db } = await import('../lib/db');
    const ctx = { actor: systemActor('test-lab'), clientAddress: null };
    const heartbeat = new RunHeartbeat(5_000);
    heartbeat.start();
    const yaml = fs.readFileSync(cloudsYamlPath, 'utf8');
    await createOrganization(ctx, { slug: 'lab-verdicts', name: 'Lab verdicts' });

    /** A cloud with the lab's clouds.yaml entry as its credential, and one real run of the official testcases. */
    const cloudWith = async (slug: string, entry: string, region: string) => {
      await createCloud(ctx, { slug, name: slug, organization: 'lab-verdicts', region });
      await credentials.setCredential(ctx, slug, { clouds_yaml: yaml, cloud: entry, allow_private_addresses: true });
      return runOnce(slug);
    };
    const runOnce = async (slug: string) => {
      const { run } = await createRun(
        ctx,
        { slug },
        { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
      );
      await executeRun(run.id, { resolver: defaultResolver, heartbeat });
      return getRun(ctx, run.id);
    };
    const verdicts = (r: Awaited<ReturnType<typeof runOnce>>) =>
      r.results.map((x) => `${x.testcase}=${x.verdict}`).join(' ');
    const shown = async (slug: string) => {
      const c = await cloudCompliance(ctx, slug);
      return { c, official: c.official?.status, headline: c.status, json: statusJson(c, 'https://lab.example') };
    };
    try {
      // 1. A member cloud is official PASS (and its full profile misses only the attestation).
      const member = await cloudWith('lab-member', 'lab', j.region);
      const m = await shown('lab-member');
      record(
        'verdicts: a member cloud is official PASS (SCS v5.1), the full profile MISS until attested',
        m.official === 'PASS' &&
          m.c.official?.version === 'scs-compatible-iaas/v5.1' &&
          m.headline === 'MISS' &&
          m.json.versions.find((v) => v.standard === 'scs-compatible-iaas/v5.1')?.status === 'PASS',
        `${verdicts(member)}; official ${m.official}, scs-0116-v1 ${m.headline}: ${statusOf(m.c).reasons.join(' / ')}`,
      );

      // 2. The default-policy Barbican (member denied) is official FAIL.
      const deny = await cloudWith('lab-deny', 'lab-deny', 'RegionDeny');
      const d = await shown('lab-deny');
      record(
        'verdicts: the default-policy Barbican is official FAIL, and so is the full profile',
        d.official === 'FAIL' && d.headline === 'FAIL',
        `${verdicts(deny)}; official ${d.official}, scs-0116-v1 ${d.headline}`,
      );

      // 3. A region without a key manager: presence FAIL in our profile (a warning), the official
      //    verdict is what scs-0116-permissions alone gives.
      const nokm = await cloudWith('lab-nokm', 'lab-nokm', 'RegionNoKM');
      const n = await shown('lab-nokm');
      const presence = nokm.results.find((x) => x.testcase === 'scs-0116-presence')?.verdict;
      const permissions = nokm.results.find((x) => x.testcase === 'scs-0116-permissions')?.verdict;
      const alone = permissions === 'PASS' ? 'PASS' : permissions === 'ABORT' ? 'DNF' : 'FAIL';
      const warnings = statusOf(n.c).warnings;
      record(
        'verdicts: a region without a key manager is presence FAIL in our profile; the official verdict is unaffected',
        presence === 'FAIL' &&
          warnings.some((w) => w.startsWith('scs-0116-presence is FAIL')) &&
          n.official === alone &&
          !statusOf(n.c, 'scs-compatible-iaas/v5.1').testcases.some((t) => t.id === 'scs-0116-presence'),
        `${verdicts(nokm)}; official ${n.official} (permissions alone: ${alone}), warnings: ${warnings.join(' / ')}`,
      );

      // 4. The pin: staff pin another endpoint than the one the member cloud's credential names. Its
      //    PASS counts for nothing any more, a new run is kept but does not count, and a credential
      //    for the lab's Keystone is refused with 422 naming the pinned endpoint.
      const elsewhere = 'https://keystone.certified-elsewhere.example:5000/v3';
      await pins.setCertifiedEndpoint(ctx, 'lab-member', { authUrl: elsewhere, region: j.region });
      const afterPin = await shown('lab-member');
      const again = await runOnce('lab-member');
      const afterRun = await shown('lab-member');
      let refused = '';
      try {
        await credentials.setCredential(ctx, 'lab-member', {
          clouds_yaml: yaml,
          cloud: 'lab',
          allow_private_addresses: true,
        });
      } catch (err) {
        refused = `${(err as { status?: number }).status} ${(err as Error).message}`;
      }
      record(
        'verdicts: a credential for another endpoint than the pin counts for nothing',
        afterPin.official === 'MISS' &&
          afterRun.official === 'MISS' &&
          again.results.some((x) => x.testcase === 'scs-0116-permissions' && x.verdict === 'PASS') &&
          !again.counting.counts &&
          (again.counting.reason ?? '').includes('https://keystone.certified-elsewhere.example:5000') &&
          refused.startsWith('422') &&
          refused.includes('https://keystone.certified-elsewhere.example:5000 (region'),
        `official after the pin ${afterPin.official}, after a new run ${afterRun.official}; run: ${again.counting.reason}; save: ${refused}`,
      );
      // ... and pinned to the lab's own Keystone, the same runs count again.
      await pins.setCertifiedEndpoint(ctx, 'lab-member', { authUrl: j.auth_url, region: j.region });
      const repinned = await shown('lab-member');
      record(
        "verdicts: pinned to the lab's own Keystone, its runs count again (official PASS)",
        repinned.official === 'PASS',
        `official ${repinned.official}; pinned ${pins.normalizeAuthUrl(j.auth_url)}`,
      );
    } finally {
      await heartbeat.stop();
      await db.$disconnect();
    }
  } finally {
    process.env = previousEnv;
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// The child: read the lab's facts from stdin, print one RECORD line per outcome.
if (process.argv[1] === import.meta.filename) {
  const { j, cloudsYamlPath } = JSON.parse(fs.readFileSync(0, 'utf8')) as { j: LabJson; cloudsYamlPath: string };
  verdicts(j, cloudsYamlPath, (name, ok, detail = '') => {
    process.stdout.write(`RECORD ${JSON.stringify({ name, ok, detail })}\n`);
  }).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stdout.write(
        `RECORD ${JSON.stringify({ name: 'verdicts: the lab verdict checks ran to the end', ok: false, detail: err instanceof Error ? (err.stack ?? err.message) : String(err) })}\n`,
      );
      process.exit(1);
    },
  );
}
