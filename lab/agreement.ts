// Agreement with the official suite on the real lab: for every situation the lab can produce, run
// the official openstack_test.py (openstacksdk 0.101 from Debian, with the kit's ForbiddenException
// shim) and our checks against the same cloud, and hold both to the expectations of the check
// definitions (lib/checks/situations.ts): where the expectation names no difference, the official
// verdict and ours must be equal. Situations a plain Barbican cannot produce (version discovery
// failing, a foreign host_href, slow answers, a late create, a hidden secret) come from a fault
// proxy (fault-proxy.ts) in front of the real Barbican, which both suites talk to.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BarbicanClient, HttpClient, KeystoneClient, keyManagerEndpoint } from '../lib/openstack';
import { OFFICIAL_TESTCASE_IDS, OFFICIAL_TEST_SECRET_NAME, runChecks } from '../lib/checks';
import { CHECKS } from '../lib/checks/registry';
import { expectedVerdict, officialVerdict, type Situation } from '../lib/checks/situations';
import type { CloudConfig, RunOptions, RunReport, Verdict } from '../lib/checks/types';
import { loadNamedCloud } from '../lib/cli/clouds-config';
import { CatalogAdmin } from './catalog-admin';
import { FaultProxy, type ProxyFault } from './fault-proxy';
import type { LabJson, LabSettings } from './lab-control';

export interface LabEnv {
  settings: LabSettings;
  lab: LabJson;
  catalog: CatalogAdmin;
  proxy: FaultProxy;
  /** lab-admin's client on the real Barbican (around the proxy), for setting up and looking. */
  barbican: BarbicanClient;
  /** The agreement clouds.yaml (the lab's clouds plus the variants'). */
  cloudsYaml: string;
  /** Host the foreign host_href names: loopback, a port nothing listens on. */
  foreignOrigin: string;
}

type Check = [name: string, ok: boolean, detail: string];

interface LabVariant {
  situation: Situation;
  /** Cloud in the agreement clouds.yaml. */
  cloud: string;
  faults?: (env: LabEnv) => ProxyFault[];
  setup?: (env: LabEnv) => Promise<void>;
  teardown?: (env: LabEnv) => Promise<void>;
  /** Settings of our run beyond the cloud's (said in the table). */
  ours?: { note: string; cloud: Partial<CloudConfig> };
  /** What must hold besides the verdicts, after both suites ran. */
  verify?: (env: LabEnv, ours: RunReport) => Promise<Check[]>;
}

const SLOW_MS = Number(process.env.TEST_LAB_SLOW_MS ?? 25_000);
const CASE_VARIANT = 'SCS-Member-Role-Test-Secret';
const FILLERS = 11; // Barbican pages by 10 without a limit: 11 secrets make a second page

async function secretsNamed(env: LabEnv, name: string): Promise<string[]> {
  return (await env.barbican.listAllSecrets()).filter((s) => s.name === name).map((s) => s.uuid);
}

async function deleteNamed(env: LabEnv, test: (name: string | null) => boolean): Promise<void> {
  for (const s of await env.barbican.listAllSecrets()) if (test(s.name)) await env.barbican.deleteSecret(s.uuid);
}

const fillers = {
  setup: async (env: LabEnv) => {
    for (let i = 0; i < FILLERS; i++)
      await env.barbican.createSecret({ name: `lab-filler-${i}`, payload: 'filler', payloadContentType: 'text/plain' });
  },
  teardown: (env: LabEnv) => deleteNamed(env, (n) => !!n?.startsWith('lab-filler-')),
};

async function withKeyManagerServiceDisabled(env: LabEnv, disabled: boolean): Promise<void> {
  const id = await env.catalog.serviceId('key-manager', 'barbican');
  if (!id) throw new Error('the lab has no key-manager service');
  await env.catalog.setServiceEnabled(id, !disabled);
}

export const LAB_VARIANTS: LabVariant[] = [
  { situation: 'member', cloud: 'lab' },
  { situation: 'application-credential', cloud: 'lab-appcred' },
  { situation: 'policy-denies-member', cloud: 'lab-deny' },
  { situation: 'reader', cloud: 'lab-reader' },
  { situation: 'admin', cloud: 'lab-admin' },
  { situation: 'wrong-password', cloud: 'lab-wrong-password' },
  { situation: 'no-project', cloud: 'lab-unscoped' },
  {
    situation: 'no-key-manager',
    cloud: 'lab',
    setup: (env) => withKeyManagerServiceDisabled(env, true),
    teardown: (env) => withKeyManagerServiceDisabled(env, false),
  },
  { situation: 'other-region-only', cloud: 'lab-nokm' },
  { situation: 'internal-only', cloud: 'lab-km-internal' },
  { situation: 'admin-interface-only', cloud: 'lab-km-admin' },
  { situation: 'disabled-endpoint', cloud: 'lab-km-disabled' },
  {
    situation: 'no-endpoints',
    cloud: 'lab',
    setup: async (env) => {
      await withKeyManagerServiceDisabled(env, true);
      await env.catalog.createService('key-manager', 'barbican-without-endpoints');
    },
    teardown: async (env) => {
      const empty = await env.catalog.serviceId('key-manager', 'barbican-without-endpoints');
      if (empty) await env.catalog.deleteService(empty);
      await withKeyManagerServiceDisabled(env, false);
    },
  },
  {
    situation: 'case-variant-secret',
    cloud: 'lab',
    setup: async (env) => {
      await env.barbican.createSecret({ name: CASE_VARIANT, payload: 'not a test', payloadContentType: 'text/plain' });
    },
    verify: async (env) => {
      const left = await secretsNamed(env, CASE_VARIANT);
      return [[`lab-admin's "${CASE_VARIANT}" survived both suites`, left.length === 1, `${left.length} left`]];
    },
    teardown: (env) => deleteNamed(env, (n) => n === CASE_VARIANT),
  },
  { situation: 'proxy', cloud: 'lab-proxy' },
  {
    situation: 'discovery-fails',
    cloud: 'lab-proxy',
    faults: () => [{ kind: 'discovery', status: 500, body: '{"code": 500, "title": "Internal Server Error"}' }],
  },
  {
    situation: 'discovery-no-v1',
    cloud: 'lab-proxy',
    faults: (env) => [
      {
        kind: 'discovery',
        status: 300,
        body: JSON.stringify({
          versions: {
            values: [{ id: 'v2', status: 'stable', links: [{ rel: 'self', href: `${env.proxy.origin}/v2/` }] }],
          },
        }),
      },
    ],
  },
  {
    situation: 'versioned-url-discovery-fails',
    cloud: 'lab-proxy-v1',
    faults: () => [{ kind: 'discovery', status: 500, body: '{}' }],
  },
  {
    situation: 'foreign-next-link',
    cloud: 'lab-proxy',
    faults: (env) => [{ kind: 'host-href', origin: env.foreignOrigin }],
    ...fillers,
  },
  {
    situation: 'foreign-host-href-one-page',
    cloud: 'lab-proxy',
    faults: (env) => [{ kind: 'host-href', origin: env.foreignOrigin }],
  },
  {
    situation: 'alias-next-link',
    cloud: 'lab-proxy',
    faults: (env) => [{ kind: 'host-href', origin: env.proxy.origin.replace('127.0.0.1', 'localhost') }],
    ...fillers,
  },
  {
    situation: 'slow-create',
    cloud: 'lab-proxy',
    faults: () => [{ kind: 'slow', method: 'POST', path: /^\/v1\/secrets\/?$/, ms: SLOW_MS }],
    verify: async (_env, ours) => {
      const ms = ours.results.find((r) => r.id === 'scs-0116-permissions')?.durationMs ?? 0;
      return [['our run waited for the slow answer (default timeouts)', ms >= SLOW_MS, `${ms} ms`]];
    },
  },
  {
    situation: 'late-create',
    cloud: 'lab-proxy',
    // Held until the client gives up, or cut after 3 s (the official suite has no timeout).
    faults: () => [{ kind: 'late-create', holdMs: 3_000, landAfterMs: 2_000 }],
    ours: { note: 'answer timeout 1.5 s, so that our own timeout fires', cloud: { timeouts: { headersMs: 1_500 } } },
    verify: async (env, ours) => {
      const found = ours.leftovers.filter(
        (l) => l.name === OFFICIAL_TEST_SECRET_NAME && l.deleted && /had created it/.test(l.reason),
      );
      const left = await secretsNamed(env, OFFICIAL_TEST_SECRET_NAME);
      return [
        [
          'our sweep found the secret that landed after our timeout and deleted it',
          found.length === 1,
          `${found.length}`,
        ],
        ['no test secret left after both suites', left.length === 0, `${left.length} left`],
      ];
    },
  },
  {
    situation: 'created-secret-hidden',
    cloud: 'lab-proxy',
    faults: () => [{ kind: 'hide-secrets', name: OFFICIAL_TEST_SECRET_NAME }],
    verify: async (env, ours) => {
      const uuid = ours.results.find((r) => r.id === 'scs-0116-permissions')?.details.secretUuid;
      const deleted = env.proxy.log.some((l) => l.method === 'DELETE' && l.path.endsWith(`/${String(uuid)}`));
      return [['we deleted our hidden secret by its UUID', deleted, String(uuid)]];
    },
    // openstack_test.py leaves its secret behind here (it cannot find it to delete it).
    teardown: (env) => deleteNamed(env, (n) => n === OFFICIAL_TEST_SECRET_NAME),
  },
];

/** Every situation test:lab produces (the agreement variants and the full check set). */
export const LAB_SITUATIONS: readonly Situation[] = [...LAB_VARIANTS.map((v) => v.situation), 'full-check-set'];

/**
 * The SCS kit with the unmodified upstream suite (not part of this repository: upstream's code is
 * not ours to commit): $SCS_UPSTREAM_DIR, else shared/scs-upstream beside a folder above this
 * checkout, else the machines' shared copy at /work/shared/scs-upstream.
 */
export function upstreamKit(): string | null {
  const has = (dir: string) => existsSync(path.join(dir, 'upstream', 'Tests', 'iaas', 'openstack_test.py'));
  if (process.env.SCS_UPSTREAM_DIR) return has(process.env.SCS_UPSTREAM_DIR) ? process.env.SCS_UPSTREAM_DIR : null;
  for (let d = path.resolve(import.meta.dirname, '..'); d !== path.dirname(d); d = path.dirname(d)) {
    const kit = path.join(d, 'shared', 'scs-upstream');
    if (has(kit)) return kit;
  }
  return has('/work/shared/scs-upstream') ? '/work/shared/scs-upstream' : null;
}

/** Regions, clouds and the proxy's catalog entries the variants need, on a freshly started lab. */
export async function prepareAgreement(settings: LabSettings, lab: LabJson, proxyPort: number): Promise<LabEnv> {
  const catalog = await CatalogAdmin.login(lab);
  const proxy = await new FaultProxy(lab.barbican.url).start(proxyPort);
  await catalog.region('RegionProxy', 'key-manager behind the fault proxy', [{ iface: 'public', url: proxy.origin }]);
  await catalog.region('RegionProxyV1', 'the same, catalog URL ending in /v1', [
    { iface: 'public', url: `${proxy.origin}/v1` },
  ]);
  await catalog.region('RegionKmInternal', 'key-manager: internal endpoint only', [
    { iface: 'internal', url: lab.barbican.url },
  ]);
  await catalog.region('RegionKmAdmin', 'key-manager: admin endpoint only', [
    { iface: 'admin', url: lab.barbican.url },
  ]);
  await catalog.region('RegionKmDisabled', 'key-manager: disabled public endpoint', [
    { iface: 'public', url: lab.barbican.url, enabled: false },
  ]);

  const base = JSON.parse(readFileSync(path.join(settings.stateDir, 'clouds.yaml'), 'utf8')) as {
    clouds: Record<string, { auth: Record<string, unknown>; region_name?: string }>;
  };
  const member = base.clouds.lab!;
  const clouds = { ...base.clouds };
  const inRegion = (region: string) => ({ ...member, region_name: region });
  clouds['lab-proxy'] = inRegion('RegionProxy');
  clouds['lab-proxy-v1'] = inRegion('RegionProxyV1');
  clouds['lab-km-internal'] = inRegion('RegionKmInternal');
  clouds['lab-km-admin'] = inRegion('RegionKmAdmin');
  clouds['lab-km-disabled'] = inRegion('RegionKmDisabled');
  clouds['lab-wrong-password'] = { ...member, auth: { ...member.auth, password: 'not-the-password' } };
  const unscoped = { ...member.auth };
  delete unscoped.project_id;
  clouds['lab-unscoped'] = { ...member, auth: unscoped };
  const cloudsYaml = path.join(settings.stateDir, 'agreement-clouds.yaml');
  writeFileSync(cloudsYaml, JSON.stringify({ clouds }, null, 2));

  const http = new HttpClient({ allowPrivateAddresses: true });
  const admin = await new KeystoneClient(http).authenticate({
    type: 'password',
    authUrl: lab.auth_url,
    username: lab.users.admin.username,
    userDomainName: 'lab',
    password: lab.users.admin.password,
    projectId: lab.project.id,
  });
  const barbican = new BarbicanClient(http, admin, keyManagerEndpoint(lab.barbican.url));
  const foreignOrigin = `http://127.0.0.2:${Number(process.env.TEST_LAB_FOREIGN_PORT ?? proxyPort + 1)}`;
  return { settings, lab, catalog, proxy, barbican, cloudsYaml, foreignOrigin };
}

export async function closeAgreement(env: LabEnv): Promise<void> {
  await env.proxy.stop();
  await env.catalog.close();
}

export interface OfficialRun {
  verdicts: Record<string, Verdict>;
  /** The last lines of its log (the exception that decided an ABORT). */
  log: string;
  ms: number;
}

/** openstack_test.py, unmodified, as the kit README runs it. */
export function runOfficial(kit: string, cloudsYaml: string, cloud: string, ids: string[]): Promise<OfficialRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['openstack_test.py', '-c', cloud, ...ids], {
      cwd: path.join(kit, 'upstream', 'Tests', 'iaas'),
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml, PYTHONPATH: path.join(kit, 'shims') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const verdicts: Record<string, Verdict> = {};
      for (const m of out.matchAll(/^(scs-[\w-]+): (PASS|FAIL|ABORT)$/gm)) verdicts[m[1]!] = m[2] as Verdict;
      const log = err
        .split('\n')
        .filter((l) => /^[A-Za-z_.]+(Error|Exception|NotFound|NotSupported|Failure)\b|^(ERROR|CRITICAL)/.test(l))
        .slice(-2)
        .join(' | ');
      resolve({ verdicts, log, ms: Date.now() - t0 });
    });
  });
}

export interface AgreementRow {
  situation: Situation;
  official: Record<string, Verdict>;
  ours: Record<string, Verdict>;
  /** "yes", "on purpose: ..." or "NO: ...". */
  agreement: string;
  ok: boolean;
  checks: Check[];
  note?: string;
}

type RunOurs = (options: RunOptions) => Promise<RunReport>;

/** One variant: set up, official suite, our checks, verify, tear down. */
export async function agreementRow(
  env: LabEnv,
  kit: string,
  v: LabVariant,
  runOurs: RunOurs = runChecks,
): Promise<AgreementRow> {
  const official: string[] = [...OFFICIAL_TESTCASE_IDS];
  const ids = CHECKS.filter((c) => c.expectations[v.situation] !== undefined).map((c) => c.id);
  const checks: Check[] = [];
  await v.setup?.(env);
  try {
    env.proxy.use(...(v.faults?.(env) ?? []));
    const off = await runOfficial(kit, env.cloudsYaml, v.cloud, official);
    await env.proxy.settle(); // a late create of the official suite lands before we look
    const loaded = loadNamedCloud(v.cloud, {
      env: { OS_CLIENT_CONFIG_FILE: env.cloudsYaml },
      cwd: env.settings.stateDir,
      home: env.settings.stateDir,
    });
    const cloud: CloudConfig = { ...loaded.cloud, allowPrivateAddresses: true, ...v.ours?.cloud };
    const report = await runOurs({ cloud, ids });
    await env.proxy.settle();
    const ours = Object.fromEntries(report.results.map((r) => [r.id, r.verdict])) as Record<string, Verdict>;
    checks.push(...((await v.verify?.(env, report)) ?? []));

    const problems: string[] = [];
    const differences: string[] = [];
    for (const c of CHECKS) {
      const e = c.expectations[v.situation];
      if (!e) continue;
      if (ours[c.id] !== expectedVerdict(e)) {
        const msg = report.results.find((r) => r.id === c.id)?.message ?? 'no result';
        problems.push(`${c.id}: ours ${ours[c.id]}, expected ${expectedVerdict(e)} (${msg})`);
      }
      if (!official.includes(c.id)) continue;
      if (off.verdicts[c.id] !== officialVerdict(e))
        problems.push(`${c.id}: official ${off.verdicts[c.id]}, expected ${officialVerdict(e)} (${off.log})`);
      if (typeof e !== 'string') differences.push(c.id.replace('scs-0116-', ''));
    }
    for (const [name, ok, detail] of checks) if (!ok) problems.push(`${name}: ${detail}`);
    const agree = official.every((id) => off.verdicts[id] === ours[id]);
    return {
      situation: v.situation,
      official: off.verdicts,
      ours,
      ok: problems.length === 0,
      agreement:
        problems.length > 0
          ? `NO: ${problems.join('; ')}`
          : agree
            ? 'yes'
            : `differs on purpose (${differences.join(', ')}; docs/checks.md)`,
      checks,
      note: v.ours?.note,
    };
  } finally {
    await v.teardown?.(env);
  }
}

export function agreementTable(rows: AgreementRow[]): string[] {
  const pair = (r: Record<string, Verdict>) => OFFICIAL_TESTCASE_IDS.map((id) => r[id] ?? '-').join(' / ');
  return [
    '| situation | official (presence / permissions) | ours | agree? |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.situation}${r.note ? ` (ours: ${r.note})` : ''} | ${pair(r.official)} | ${pair(r.ours)} | ${r.agreement} |`,
    ),
  ];
}
