// The pinned certified endpoint on real PostgreSQL: staff pin it (audited; CSP users may not), a
// credential for another endpoint is refused with 422 naming the pinned one, and a run whose
// credential named another endpoint is kept but counts for nothing (verdicts, history, the run's
// own view and the timeline say why). The SQL rule (countedSql) agrees with runCounts, and the
// migration's SQL normalization with normalizeAuthUrl.
import { beforeAll, describe, expect, test } from 'vitest';
import { ctxOf, makeCloud, makeOrg, makeUser, tempDir } from './support/fixtures';
import { Vault } from '../../lib/vault';
import type { RequestContext } from '../../lib/context';

let db: typeof import('../../lib/db').db;
let Prisma: typeof import('../../lib/db').Prisma;
let creds: typeof import('../../lib/credentials');
let pins: typeof import('../../lib/compliance/certified-endpoint');
let compliance: typeof import('../../lib/compliance');
let runs: typeof import('../../lib/runs');
let timeline: typeof import('../../lib/compliance/timeline');
let staff: RequestContext;
let csp: RequestContext;
let org: { id: string };
const PINNED = 'https://keystone.certified.example:5000/v3';

/** A report-signing key of the organization, approved at `approvedAt` (null: not approved). */
async function key(approvedAt: Date | null) {
  const name = `k-${Math.random().toString(36).slice(2, 8)}`;
  return db.organizationKey.create({
    data: {
      organizationId: org.id,
      name,
      type: 'ssh-ed25519',
      bits: 256,
      publicKey: `ssh-ed25519 ${name}`,
      fingerprint: `SHA256:${name}`,
      createdByLabel: 'test',
      approvedAt,
      approvedByLabel: approvedAt ? 'reviewer@pin.example' : null,
    },
  });
}

/** A finished run of both official testcases at `at`, whose credential named this endpoint. */
async function run(cloudId: string, at: Date, authUrl: string | null, verdict: 'PASS' | 'FAIL', region = 'RegionOne') {
  const r = await db.run.create({
    data: {
      cloudId,
      status: 'finished',
      trigger: 'schedule',
      queuedAt: at,
      startedAt: at,
      finishedAt: at,
      authUrl: authUrl === null ? null : pins.normalizeAuthUrl(authUrl),
      region: authUrl === null ? null : region,
    },
  });
  await db.runResult.createMany({
    data: ['scs-0116-presence', 'scs-0116-permissions'].map((testcase) => ({
      runId: r.id,
      cloudId,
      testcase,
      verdict,
      message: `${verdict} at ${authUrl}`,
      durationMs: 1,
      checkedAt: at,
    })),
  });
  return r.id;
}

beforeAll(async () => {
  process.env.KEK_PROVIDER = 'file';
  process.env.DATA_DIR = tempDir('pin-');
  ({ db, Prisma } = await import('../../lib/db'));
  creds = await import('../../lib/credentials');
  (await import('../../lib/credentials/vault')).setVault(
    Vault.fromEnv({ env: { DATA_DIR: process.env.DATA_DIR, KEK_PROVIDER: 'file' } }),
  );
  pins = await import('../../lib/compliance/certified-endpoint');
  compliance = await import('../../lib/compliance');
  runs = await import('../../lib/runs');
  timeline = await import('../../lib/compliance/timeline');
  org = await makeOrg({ prefix: 'pin-org' });
  staff = ctxOf(await makeUser('reviewer'));
  csp = ctxOf(await makeUser('csp', [org.id]));
});

const credential = (authUrl: string, region = 'RegionOne') => ({
  type: 'password',
  auth_url: authUrl,
  username: 'alice',
  user_domain_name: 'Default',
  password: 'pw-123456',
  project_id: 'p1',
  region,
});

describe('the certified endpoint', () => {
  test('staff pin it, audited; a CSP may not; another organization does not see the cloud', async () => {
    const c = await makeCloud(org.id, { prefix: 'pin' });
    await expect(
      pins.setCertifiedEndpoint(csp, c.slug, { authUrl: PINNED, region: 'RegionOne' }),
    ).rejects.toMatchObject({
      status: 403,
    });
    const stranger = ctxOf(await makeUser('csp', [(await makeOrg()).id]));
    await expect(pins.getCertifiedEndpoint(stranger, c.slug)).rejects.toMatchObject({ status: 404 });
    await expect(
      pins.setCertifiedEndpoint(staff, c.slug, { authUrl: 'ftp://x', region: 'RegionOne' }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { authUrl: expect.stringContaining('http(s) URL') },
    });
    const p = await pins.setCertifiedEndpoint(staff, c.slug, { authUrl: `${PINNED}/`, region: 'RegionOne' });
    expect(p).toMatchObject({ authUrl: 'https://keystone.certified.example:5000', region: 'RegionOne' });
    expect(await pins.getCertifiedEndpoint(csp, c.slug)).toMatchObject({ authUrl: p.authUrl });
    await pins.removeCertifiedEndpoint(staff, c.slug);
    const events = await db.auditEvent.findMany({ where: { targetId: c.slug }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['cloud.pin', 'cloud.unpin']);
    expect(events[0].summary).toContain('to https://keystone.certified.example:5000 (region RegionOne)');
  });

  test('a credential for another endpoint gets 422 naming the pinned one; the pinned one is accepted', async () => {
    const c = await makeCloud(org.id, { prefix: 'pin' });
    await pins.setCertifiedEndpoint(staff, c.slug, { authUrl: PINNED, region: 'RegionOne' });
    for (const [url, region] of [
      ['https://always-pass.evil.test/v3', 'RegionOne'],
      [PINNED, 'RegionTwo'],
    ])
      await expect(creds.setCredential(csp, c.slug, credential(url, region))).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining(
          'certified endpoint is https://keystone.certified.example:5000 (region RegionOne)',
        ),
      });
    expect(await db.credential.count({ where: { cloudId: c.id } })).toBe(0);
    const saved = await creds.setCredential(csp, c.slug, credential('https://KEYSTONE.certified.example:5000/v3/'));
    expect(saved.authUrl).toBe('https://KEYSTONE.certified.example:5000/v3/');
  });

  test('a run for another endpoint is kept but counts for nothing, and says why', async () => {
    const c = await makeCloud(org.id, { prefix: 'pin' });
    const t = new Date(Date.now() - 3_600_000);
    const good = await run(c.id, new Date(t.getTime() - 60_000), PINNED, 'FAIL');
    const fake = await run(c.id, t, 'https://always-pass.evil.test/v3', 'PASS');
    // Unpinned, every run counts: the latest (the fake PASS) decides.
    const before = (await compliance.cloudCompliance(staff, c.slug)).official;
    expect(before?.status).toBe('PASS');
    const v0 = (await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: c.id } })).version;
    await pins.setCertifiedEndpoint(staff, c.slug, { authUrl: PINNED, region: 'RegionOne' });
    // The pin makes the snapshot stale in the same transaction; the verdict follows at once.
    expect((await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: c.id } })).version).toBeGreaterThan(v0);
    const after = await compliance.cloudCompliance(staff, c.slug);
    expect(after.official?.status).toBe('FAIL');
    const perm = compliance.statusOf(after).testcases.find((x) => x.id === 'scs-0116-permissions')!;
    expect(perm.message).toBe(`FAIL at ${PINNED}`);
    // The history counts only the certified endpoint's results.
    const h = await compliance.historyOf(c.id, '30d');
    const today = h.strips.find((s) => s.testcase === 'scs-0116-permissions')!.cells.at(-1)!;
    expect(today.counts).toEqual({ pass: 0, fail: 1, abort: 0 });
    // The fake run is kept and says why it does not count, on its view and in the API.
    const view = await runs.getRun(staff, fake);
    expect(view.counting.counts).toBe(false);
    expect(view.counting.reason).toContain('https://always-pass.evil.test (region RegionOne)');
    expect((await import('../../lib/api/dto')).runDto(view)).toMatchObject({
      counts: false,
      endpoint: { authUrl: 'https://always-pass.evil.test', region: 'RegionOne' },
      notCountedReason: expect.stringContaining('certified endpoint https://keystone.certified.example:5000'),
    });
    expect((await runs.getRun(staff, good)).counting).toEqual({ counts: true, reason: null, cause: null });
    const tl = await timeline.cloudTimeline(staff, c.slug, { period: '30d' });
    expect(tl.items.filter((e) => e.kind === 'run').map((e) => [e.id, (e as { counts: boolean }).counts])).toEqual([
      [fake, false],
      [good, true],
    ]);
    // A certificate needs a PASS of counted results: refused.
    await expect(compliance.grantCertificate(staff, c.slug)).rejects.toMatchObject({ status: 409 });
  });

  test('a certificate needs a pin', async () => {
    const c = await makeCloud(org.id, { prefix: 'pin' });
    await expect(compliance.grantCertificate(staff, c.slug)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('Pin the certified endpoint'),
    });
  });

  test('the SQL rule agrees with runCounts, and the migration normalizes URLs as normalizeAuthUrl does', async () => {
    const urls = [
      'https://keystone.example.com:5000/v3',
      'HTTPS://Keystone.Example.com:443/v3/',
      'http://keystone.example.com:80/identity//v3.0',
      'https://api.example.com/identity/v2.0/',
      'http://127.0.0.1:25000/v3',
      'https://k.example:80/v3',
      'https://k.example/V3?x=1',
    ];
    const rows = await db.$queryRaw<Array<{ url: string; n: string }>>`
      SELECT u AS url, scs_normalize_auth_url(u) AS n FROM unnest(${urls}::text[]) AS u`;
    expect(rows.map((r) => r.n)).toEqual(urls.map((u) => pins.normalizeAuthUrl(u)));

    const c = await makeCloud(org.id, { prefix: 'pin' });
    const cases: Array<[string | null, string, boolean]> = [
      [PINNED, 'RegionOne', true],
      ['https://keystone.certified.example:5000', 'RegionOne', true],
      ['https://keystone.certified.example:5001/v3', 'RegionOne', false],
      [PINNED, 'RegionTwo', false],
      [null, 'RegionOne', false],
    ];
    await pins.setCertifiedEndpoint(staff, c.slug, { authUrl: PINNED, region: 'RegionOne' });
    const pin = (await pins.certifiedEndpointOf(c.id))!;
    for (const [i, [url, region, want]] of cases.entries()) {
      const id = await run(c.id, new Date(Date.now() - (i + 1) * 60_000), url, 'PASS', region);
      const [{ counted }] = await db.$queryRaw<Array<{ counted: boolean }>>`
        SELECT ${pins.countedSql('r', 'c')} AS counted FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId" WHERE r.id = ${id}::uuid`;
      const ts = pins.runCounts(pin, {
        source: 'dashboard',
        authUrl: url,
        region: url === null ? null : region,
      }).counts;
      expect([url, region, counted, ts]).toEqual([url, region, want, want]);
    }
    void Prisma;
  });

  test('the SQL rule agrees with runCounts for imported runs: only a key approved now lets them count', async () => {
    const c = await makeCloud(org.id, { prefix: 'pin' });
    const approved = await key(new Date());
    const unapproved = await key(null);
    const removed = await key(new Date());
    // signing key, the endpoint the report named, counts without a pin, counts with the pin
    const cases: Array<[{ id: string } | null, string | null, boolean, boolean]> = [
      [approved, PINNED, true, true],
      [approved, 'https://always-pass.evil.test/v3', true, false],
      [approved, null, true, false],
      [unapproved, PINNED, false, false],
      [unapproved, null, false, false],
      [removed, PINNED, false, false],
      [null, PINNED, false, false], // an imported run without an upload on record
    ];
    const ids: string[] = [];
    for (const [i, [k, url]] of cases.entries()) {
      const id = await run(c.id, new Date(Date.now() - (i + 1) * 60_000), url, 'PASS');
      const upload = k
        ? await db.reportUpload.create({
            data: {
              organizationId: org.id,
              cloudId: c.id,
              subject: c.slug,
              signature: 'sig',
              body: 'body',
              keyId: k.id,
              keyFingerprint: `SHA256:fp-${k.id}`,
              uploadedByLabel: 'test',
            },
          })
        : null;
      await db.run.update({ where: { id }, data: { source: 'official_runner', uploadId: upload?.id ?? null } });
      ids.push(id);
    }
    // Removing a key sets its uploads' keyId to NULL (ON DELETE SET NULL): their runs stop counting.
    await db.organizationKey.delete({ where: { id: removed.id } });
    const both = async () => {
      const rows = await db.$queryRaw<Array<{ id: string; counted: boolean }>>`
        SELECT r.id::text AS id, ${pins.countedSql('r', 'c')} AS counted FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId"
         WHERE r.id = ANY(${ids}::uuid[])`;
      const sql = new Map(rows.map((r) => [r.id, r.counted]));
      return Promise.all(ids.map(async (id) => [sql.get(id), (await runs.getRun(staff, id)).counting.counts]));
    };
    expect(await both()).toEqual(cases.map(([, , unpinned]) => [unpinned, unpinned]));
    await pins.setCertifiedEndpoint(staff, c.slug, { authUrl: PINNED, region: 'RegionOne' });
    expect(await both()).toEqual(cases.map(([, , , pinned]) => [pinned, pinned]));
    // Our own runs of this cloud are not asked about keys: the pinned one counts.
    const ours = await run(c.id, new Date(), PINNED, 'PASS');
    const [{ counted }] = await db.$queryRaw<Array<{ counted: boolean }>>`
      SELECT ${pins.countedSql('r', 'c')} AS counted FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId" WHERE r.id = ${ours}::uuid`;
    expect(counted).toBe(true);
  });
});
