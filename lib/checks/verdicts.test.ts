// Verdicts of every check against the OpenStack simulator: the verdict table is the expectations
// of the check definitions (lib/checks/situations.ts), run in every situation the simulator can
// produce (the lab produces the rest, and test:lab holds the same expectations against the real
// Keystone + Barbican and the official suite); then messages and side effects, case by case.

import { afterEach, describe, expect, it } from 'vitest';
import { LAB_SITUATIONS } from '../../lab/agreement';
import { OpenStackSimulator, selfSignedCertificate, simulatorCloud } from '../../lab/simulator';
import type { FaultRule, SimulatorOptions } from '../../lab/simulator';
import type { SimPersona } from '../../lab/simulator/cloud';
import { CHECKS, OFFICIAL_TESTCASE_IDS } from './registry';
import { runChecks } from './run';
import { expectedVerdict, type Situation } from './situations';
import type { CloudConfig, RunReport } from './types';

const TLS = selfSignedCertificate(90);

let sims: OpenStackSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

async function sim(options: SimulatorOptions = {}): Promise<OpenStackSimulator> {
  const s = await new OpenStackSimulator(options).start();
  sims.push(s);
  return s;
}

async function run(
  s: OpenStackSimulator,
  persona: SimPersona = 'member',
  overrides: Partial<CloudConfig> = {},
  ids?: string[],
): Promise<RunReport> {
  return runChecks({ cloud: simulatorCloud(s, persona, overrides), ids });
}

function verdicts(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.verdict]));
}

function result(report: RunReport, id: string) {
  const r = report.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

const OFFICIAL = [...OFFICIAL_TESTCASE_IDS];

/** How the simulator produces a situation (lib/checks/situations.ts). */
interface SimSituation {
  options?: SimulatorOptions;
  faults?: FaultRule[];
  persona?: SimPersona;
  overrides?: (s: OpenStackSimulator) => Partial<CloudConfig>;
  /** Change the cloud configuration (after the persona and overrides). */
  cloud?: (c: CloudConfig) => void;
  /** Put things in the simulated cloud before the run; returns the UUIDs that must survive it. */
  setup?: (s: OpenStackSimulator) => string[];
}

const ROOT = /^\/(\?.*)?$/;
const personas = (s: OpenStackSimulator): Partial<CloudConfig> => ({
  personas: { reader: simulatorCloud(s, 'reader').auth, otherProject: simulatorCloud(s, 'other').auth },
});

function storeSecret(s: OpenStackSimulator, name: string, n: number): string {
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  s.secrets.set(uuid, {
    uuid,
    name,
    projectId: s.projects.main.id,
    payload: Buffer.from('someone else'),
    contentType: 'text/plain',
    secretType: 'opaque',
    created: '2020-01-01T00:00:00',
    creatorId: 'someone-else',
  });
  return uuid;
}

const SIM_SITUATIONS: Partial<Record<Situation, SimSituation>> = {
  member: {},
  'application-credential': { persona: 'appcred' },
  reader: { persona: 'reader' },
  admin: { persona: 'admin' },
  manager: { persona: 'manager' },
  'wrong-password': { cloud: (c) => c.auth.type === 'password' && (c.auth.password = 'wrong-password') },
  'no-project': { cloud: (c) => c.auth.type === 'password' && delete c.auth.projectId },
  'policy-denies-member': { options: { policy: 'default' } },
  'no-key-manager': { options: { keyManagerInCatalog: false } },
  'other-region-only': { overrides: () => ({ region: 'RegionNoKM' }) },
  'internal-only': { options: { keyManagerInterfaces: ['internal'] } },
  'admin-interface-only': { options: { keyManagerInterfaces: ['admin'] } },
  'no-endpoints': { options: { keyManagerInterfaces: [], keyManagerServiceWithoutEndpoints: true } },
  'case-variant-secret': { setup: (s) => [storeSecret(s, 'SCS-Member-Role-Test-Secret', 1)] },
  'discovery-fails': {
    faults: [{ service: 'barbican', method: 'GET', path: ROOT, action: { kind: 'status', status: 500 } }],
  },
  'discovery-no-v1': {
    faults: [
      {
        service: 'barbican',
        method: 'GET',
        path: ROOT,
        action: {
          kind: 'status',
          status: 300,
          body: '{"versions": {"values": [{"id": "v2", "status": "stable", "links": [{"rel": "self", "href": "/v2/"}]}]}}',
        },
      },
    ],
  },
  'versioned-url-discovery-fails': {
    options: { keyManagerUrl: (u) => `${u}/v1` },
    faults: [{ service: 'barbican', method: 'GET', path: ROOT, action: { kind: 'status', status: 500 } }],
  },
  'foreign-next-link': {
    options: { hostHref: () => 'http://barbican.invalid:9311', defaultPageSize: 1 },
    setup: (s) => [storeSecret(s, 'filler-1', 1), storeSecret(s, 'filler-2', 2)],
  },
  'foreign-host-href-one-page': { options: { hostHref: () => 'http://barbican.invalid:9311' } },
  'late-create': {
    faults: [{ service: 'barbican', method: 'POST', path: '/v1/secrets', action: { kind: 'late', ms: 1_000 } }],
    overrides: () => ({ limits: { lateCreateMs: 4_000 } }),
  },
  'created-secret-hidden': { options: { listHidesSecrets: true } },
  'full-check-set': { options: { ordersDeletableByMember: true }, overrides: personas },
  'trusted-tls': {
    options: { tls: { barbican: TLS } },
    overrides: () => ({ caBundle: TLS.cert }),
  },
  'zero-quota': { options: { quotas: { secrets: 0 } } },
  'simple-crypto-backend': {
    options: { secretStores: [{ name: 'Software Only Crypto', cryptoPlugin: 'simple_crypto', globalDefault: true }] },
  },
  'hsm-backend': {
    options: { secretStores: [{ name: 'PKCS11 HSM', cryptoPlugin: 'p11_crypto', globalDefault: true }] },
  },
  'corrupt-payloads': { options: { corruptPayloads: true } },
  'reader-can-write': { options: { readerCanWrite: true }, overrides: personas },
  'cve-2022-3100': { options: { cveVulnerable: true }, overrides: personas },
};

/** The checks that expect something in a situation, and what. */
function expectationsFor(situation: Situation): Record<string, string> {
  return Object.fromEntries(
    CHECKS.flatMap((c) => {
      const e = c.expectations[situation];
      return e ? [[c.id, expectedVerdict(e)]] : [];
    }),
  );
}

describe('verdict table: every check in every situation the simulator produces (expectations of the definitions)', () => {
  it.each(Object.keys(SIM_SITUATIONS) as Situation[])('%s', async (situation) => {
    const how = SIM_SITUATIONS[situation]!;
    const want = expectationsFor(situation);
    expect(Object.keys(want).length, 'some check expects something here').toBeGreaterThan(0);
    const s = await sim(how.options);
    for (const f of how.faults ?? []) s.addFault(f);
    const keep = how.setup?.(s) ?? [];
    const cloud = simulatorCloud(s, how.persona ?? 'member', how.overrides?.(s) ?? {});
    how.cloud?.(cloud);
    const report = await runChecks({ cloud, ids: Object.keys(want) });
    expect(verdicts(report), report.results.map((r) => `${r.id}: ${r.message}`).join('\n')).toEqual(want);
    // Nothing of ours is left, and nothing that was there before is gone.
    expect(
      s
        .liveSecrets()
        .map((x) => x.uuid)
        .sort(),
    ).toEqual([...keep].sort());
  });

  it('every situation some check expects something in is produced by the simulator or the lab', () => {
    const used = new Set(CHECKS.flatMap((c) => Object.keys(c.expectations)));
    const produced = new Set([...Object.keys(SIM_SITUATIONS), ...LAB_SITUATIONS]);
    expect([...used].filter((x) => !produced.has(x))).toEqual([]);
  });
});

describe('the official testcases: messages and side effects', () => {
  it('member: nothing left, the token roles recorded', async () => {
    const s = await sim();
    const report = await run(s, 'member', {}, OFFICIAL);
    expect(s.liveSecrets()).toHaveLength(0);
    expect(report.leftovers).toEqual([]);
    expect(report.roles).toEqual(['member', 'reader']);
  });

  it('upstream default policy (member denied): the FAIL names the policy fix', async () => {
    const s = await sim({ policy: 'default' });
    const report = await run(s, 'member', {}, OFFICIAL);
    expect(result(report, 'scs-0116-permissions').message).toMatch(/403.*"creator": "role:member"/);
  });

  it('key-manager not in the catalog: presence says so, permissions does not apply', async () => {
    const s = await sim({ keyManagerInCatalog: false });
    const report = await run(s, 'member', {}, OFFICIAL);
    expect(result(report, 'scs-0116-presence').message).toMatch(/no key-manager service/);
    expect(result(report, 'scs-0116-permissions').details.applicable).toBe(false);
  });

  it('region without a key-manager endpoint: presence names the regions that have one, permissions the cause', async () => {
    const s = await sim();
    const report = await run(s, 'member', { region: 'RegionNoKM' }, OFFICIAL);
    expect(result(report, 'scs-0116-presence').message).toMatch(/only in region RegionOne, not in region RegionNoKM/);
    expect(result(report, 'scs-0116-permissions').message).toMatch(
      /lists a key-manager service, but its endpoints are only in region RegionOne \(internal, public\), not in region RegionNoKM/,
    );
  });

  it('reader-only user: every testcase says the member role is missing; Barbican never touched', async () => {
    const s = await sim();
    const report = await run(s, 'reader', {}, OFFICIAL);
    for (const r of report.results) expect(r.message).toMatch(/lacks the member role/);
    expect(s.log.filter((l) => l.service === 'barbican')).toHaveLength(0);
  });

  it('user with the admin role: privileges too high, Barbican never touched', async () => {
    const s = await sim();
    const report = await run(s, 'admin', {}, OFFICIAL);
    for (const r of report.results) expect(r.message).toMatch(/privileges too high.*admin/i);
    expect(s.log.filter((l) => l.service === 'barbican')).toHaveLength(0);
  });

  it('user with the manager role: named as the reason', async () => {
    const s = await sim();
    const report = await run(s, 'manager', {}, OFFICIAL);
    expect(result(report, 'scs-0116-presence').message).toMatch(/manager/);
  });

  it('a credential without a project: the reason is named, Keystone and Barbican untouched', async () => {
    const s = await sim();
    const cloud = simulatorCloud(s, 'member');
    if (cloud.auth.type === 'password') delete cloud.auth.projectId;
    const report = await runChecks({ cloud, ids: OFFICIAL });
    expect(result(report, 'scs-0116-permissions').message).toMatch(/names no project/);
    expect(s.log).toHaveLength(0);
  });

  it('wrong password: the authentication failure is named, with the 401 as evidence', async () => {
    const s = await sim();
    const cloud = simulatorCloud(s, 'member');
    if (cloud.auth.type === 'password') cloud.auth.password = 'wrong-password';
    const report = await runChecks({ cloud, ids: OFFICIAL });
    expect(result(report, 'scs-0116-presence').message).toMatch(/Authentication failed.*401/);
    expect(result(report, 'scs-0116-permissions').evidence.some((e) => e.status === 401)).toBe(true);
  });
});

describe('scs-0116-permissions details', () => {
  it('deletes test secrets of earlier runs (official fixed name) before creating its own', async () => {
    const s = await sim();
    await run(s, 'member', {}, ['scs-0116-permissions']);
    // Leave one behind as a crashed earlier run would.
    storeSecret(s, 'scs-member-role-test-secret', 1);
    const report = await run(s, 'member', {}, ['scs-0116-permissions']);
    expect(result(report, 'scs-0116-permissions').verdict).toBe('PASS');
    expect(result(report, 'scs-0116-permissions').details.earlierSecretsDeleted).toBe(1);
    expect(s.liveSecrets()).toHaveLength(0);
  });

  it('FAIL when the created secret is not found by name, and still deletes it', async () => {
    const s = await sim({ listHidesSecrets: true });
    const report = await run(s, 'member', {}, ['scs-0116-permissions']);
    expect(result(report, 'scs-0116-permissions').verdict).toBe('FAIL');
    expect(result(report, 'scs-0116-permissions').message).toMatch(/not in the member's secret list/);
    expect(s.liveSecrets()).toHaveLength(0);
  });

  it('pages through every secret as openstacksdk does, and finds its own on a later page', async () => {
    const s = await sim();
    for (let i = 0; i < 25; i++) storeSecret(s, `filler-${i}`, i);
    const report = await run(s, 'member', {}, ['scs-0116-permissions']);
    expect(result(report, 'scs-0116-permissions').verdict).toBe('PASS');
    const lists = s.log.filter((l) => l.method === 'GET' && l.path.startsWith('/v1/secrets'));
    expect(lists.map((l) => l.path)).toEqual([
      '/v1/secrets',
      '/v1/secrets?limit=10&offset=10',
      '/v1/secrets?limit=10&offset=20',
      '/v1/secrets',
      '/v1/secrets?limit=10&offset=10',
      '/v1/secrets?limit=10&offset=20',
    ]);
    expect(s.liveSecrets()).toHaveLength(25);
  });

  it('ABORTs when paging would send clients to another host (host_href), naming it', async () => {
    const how = SIM_SITUATIONS['foreign-next-link']!;
    const s = await sim(how.options);
    how.setup?.(s);
    const report = await run(s, 'member', {}, ['scs-0116-permissions']);
    const r = result(report, 'scs-0116-permissions');
    expect(r.verdict).toBe('ABORT');
    expect(r.message).toMatch(
      /continues at http:\/\/barbican.invalid:9311, not at the catalog's http:\/\/127.0.0.1:\d+ .*host_href/,
    );
  });

  it.each([
    ['internal-only', /in region RegionOne it has only internal endpoints, no public one/],
    ['admin-interface-only', /only admin endpoints/],
    ['no-endpoints', /has no endpoints in the token's catalog \(Keystone leaves disabled endpoints out\)/],
  ] as const)('%s: presence and permissions name the cause; Barbican untouched', async (situation, cause) => {
    const s = await sim(SIM_SITUATIONS[situation]!.options);
    const report = await run(s, 'member', {}, OFFICIAL);
    expect(result(report, 'scs-0116-permissions').message).toMatch(cause);
    expect(result(report, 'scs-0116-presence').message).toMatch(cause);
    expect(s.log.filter((l) => l.service === 'barbican')).toHaveLength(0);
  });

  it('deletes by the UUID against the catalog endpoint even when secret_ref names another host', async () => {
    const s = await sim({ hostHref: () => 'http://barbican.invalid:9311' });
    const report = await run(s, 'member', {}, ['scs-0116-permissions']);
    expect(result(report, 'scs-0116-permissions').verdict).toBe('PASS');
    expect(s.liveSecrets()).toHaveLength(0);
  });
});

describe('informational checks', () => {
  it('the full check set with personas leaves no secret, order or container behind', async () => {
    const s = await sim({ ordersDeletableByMember: true });
    const report = await run(s, 'member', personas(s));
    expect(report.results.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    expect(s.liveSecrets()).toHaveLength(0);
    expect(s.orders.size).toBe(0);
    expect(s.containers.size).toBe(0);
    expect(report.leftovers).toEqual([]);
  });

  it('persona checks are skipped by default and ABORT when asked for without a credential', async () => {
    const s = await sim();
    const all = await run(s);
    expect(all.results.map((r) => r.id)).not.toContain('km-reader-cannot-write');
    const asked = await run(s, 'member', {}, ['km-reader-cannot-write', 'km-cross-project']);
    expect(verdicts(asked)).toEqual({ 'km-reader-cannot-write': 'ABORT', 'km-cross-project': 'ABORT' });
    expect(result(asked, 'km-reader-cannot-write').message).toMatch(/No reader credential/);
  });

  it('an order that members may not delete is reported, not failed; its key is deleted', async () => {
    const s = await sim();
    const report = await run(s, 'member', {}, ['km-key-order', 'km-no-leftovers']);
    expect(verdicts(report)).toEqual({ 'km-key-order': 'PASS', 'km-no-leftovers': 'PASS' });
    expect(s.liveSecrets()).toHaveLength(0);
    expect(report.leftovers).toEqual([
      expect.objectContaining({
        kind: 'order',
        deleted: false,
        reason: expect.stringMatching(/only admins delete orders/),
      }),
    ]);
  });

  it('km-key-order polls a pending order until ACTIVE, and FAILs an order in ERROR or a short key', async () => {
    const pendingSim = await sim({ orderPendingPolls: 2, ordersDeletableByMember: true });
    const pending = await run(pendingSim, 'member', { timeouts: { connectMs: 1_000, headersMs: 500, bodyMs: 3_000 } }, [
      'km-key-order',
    ]);
    expect(result(pending, 'km-key-order').verdict).toBe('PASS');
    const errSim = await sim({ orderError: true, ordersDeletableByMember: true });
    expect(result(await run(errSim, 'member', {}, ['km-key-order']), 'km-key-order').message).toMatch(/ERROR/);
    const shortSim = await sim({ orderKeyBytes: 16, ordersDeletableByMember: true });
    const short = await run(shortSim, 'member', {}, ['km-key-order']);
    expect(result(short, 'km-key-order').verdict).toBe('FAIL');
    expect(shortSim.liveSecrets()).toHaveLength(0);
  });

  it('km-key-order FAILs when the order stays pending past the deadline', async () => {
    const s = await sim({ orderPendingPolls: 1000, ordersDeletableByMember: true });
    const t0 = Date.now();
    const report = await run(s, 'member', { timeouts: { connectMs: 500, headersMs: 300, bodyMs: 700 } }, [
      'km-key-order',
    ]);
    expect(result(report, 'km-key-order').verdict).toBe('FAIL');
    expect(result(report, 'km-key-order').message).toMatch(/still PENDING after 700 ms/);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(s.orders.size).toBe(0);
  });

  it('km-backend: simple_crypto as global default FAILs with the Master-KEK hint; an HSM passes', async () => {
    const simple = await sim({
      secretStores: [{ name: 'Software Only Crypto', cryptoPlugin: 'simple_crypto', globalDefault: true }],
    });
    const r1 = result(await run(simple, 'member', {}, ['km-backend']), 'km-backend');
    expect(r1.verdict).toBe('FAIL');
    expect(r1.message).toMatch(/Master-KEK is likely in plain text in barbican.conf/);
    const hsm = await sim({ secretStores: [{ name: 'PKCS11 HSM', cryptoPlugin: 'p11_crypto', globalDefault: true }] });
    const r2 = result(await run(hsm, 'member', {}, ['km-backend']), 'km-backend');
    expect(r2.verdict).toBe('PASS');
    expect(r2.message).toMatch(/PKCS#11 HSM/);
  });

  it('km-quota FAILs on a zero secrets quota', async () => {
    const s = await sim({ quotas: { secrets: 0 } });
    const r = result(await run(s, 'member', {}, ['km-quota']), 'km-quota');
    expect(r.verdict).toBe('FAIL');
    expect(r.message).toMatch(/quota is 0 for secrets/);
  });

  it('km-transport-keys records offered keys', async () => {
    const s = await sim({ transportKeys: 1 });
    const r = result(await run(s, 'member', {}, ['km-transport-keys']), 'km-transport-keys');
    expect(r.details).toMatchObject({ offered: true, count: 1 });
  });

  it('km-reader-cannot-write FAILs when a reader can create, and deletes what the reader created', async () => {
    const s = await sim({ readerCanWrite: true });
    const report = await run(s, 'member', { personas: { reader: simulatorCloud(s, 'reader').auth } }, [
      'km-reader-cannot-write',
    ]);
    expect(result(report, 'km-reader-cannot-write').verdict).toBe('FAIL');
    expect(s.liveSecrets()).toHaveLength(0);
  });

  it('km-cross-project FAILs on the CVE-2022-3100 bypass', async () => {
    const s = await sim({ cveVulnerable: true });
    const report = await run(s, 'member', { personas: { otherProject: simulatorCloud(s, 'other').auth } }, [
      'km-cross-project',
    ]);
    const r = result(report, 'km-cross-project');
    expect(r.verdict).toBe('FAIL');
    expect(r.message).toMatch(/CVE-2022-3100/);
    expect(s.liveSecrets()).toHaveLength(0);
  });

  it('km-no-leftovers finds stale objects of earlier runs and the sweep deletes them', async () => {
    const s = await sim();
    storeSecret(s, 'kmc-deadbeef-payload', 0xaa);
    const report = await run(s, 'member', {}, ['km-no-leftovers']);
    expect(result(report, 'km-no-leftovers').verdict).toBe('FAIL');
    expect(report.leftovers).toEqual([
      expect.objectContaining({ kind: 'secret', deleted: true, createdBy: 'an earlier run' }),
    ]);
    expect(s.liveSecrets()).toHaveLength(0);
  });
});

describe('TLS', () => {
  it('km-tls PASSes for a trusted certificate (CA bundle) and reports days until expiry', async () => {
    const tls = selfSignedCertificate(90);
    const s = await sim({ tls: { keystone: tls, barbican: tls } });
    const report = await run(s, 'member', { caBundle: tls.cert }, [
      'scs-0116-presence',
      'scs-0116-permissions',
      'km-tls',
    ]);
    expect(verdicts(report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'PASS', 'km-tls': 'PASS' });
    expect(result(report, 'km-tls').details.daysUntilExpiry).toBeGreaterThanOrEqual(88);
    expect(report.tls).toEqual({ verification: 'verified', customCaBundle: true });
  });

  it('km-tls FAILs for a certificate about to expire', async () => {
    const tls = selfSignedCertificate(5);
    const s = await sim({ tls: { barbican: tls } });
    const r = result(await run(s, 'member', { caBundle: tls.cert }, ['km-tls']), 'km-tls');
    expect(r.verdict).toBe('FAIL');
    expect(r.message).toMatch(/expires in [45] days/);
  });

  it('insecure switch: the run works, km-tls still FAILs the chain, and the report warns', async () => {
    const tls = selfSignedCertificate(30);
    const s = await sim({ tls: { keystone: tls, barbican: tls } });
    const report = await run(s, 'member', { insecure: true }, ['scs-0116-permissions', 'km-tls']);
    expect(verdicts(report)).toEqual({ 'scs-0116-permissions': 'PASS', 'km-tls': 'FAIL' });
    expect(result(report, 'km-tls').message).toMatch(/does not verify.*verification is switched off/);
    expect(report.tls.verification).toBe('skipped');
    expect(report.warnings.join(' ')).toMatch(/TLS certificate verification was switched off/);
  });
});
