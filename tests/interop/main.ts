// npm run test:interop — this dashboard against the real SCS tooling and the real OpenStack lab:
//   1. the official runner (scs-test-runner.py -> scs-compliance-check.py -> openstack_test.py) runs against
//      the lab and uploads its signed report to our POST /reports, unchanged (its own ssh-keygen and curl):
//      200, a run of the right cloud with the runner's verdicts that counts (staff approved the runner's
//      key first: reports signed with an unapproved key are kept but do not count); the same upload
//      again 409; a tampered body, an unknown key and another organization's subject 401; a wrong
//      content type 415 — each also sent to the real compliance monitor, which must answer the same;
//   2. a run of our own checks is forwarded to the real compliance monitor, which takes it (200) and shows
//      our scs-0116-permissions result at GET /status?subject=; ssh-keygen -Y verify accepts our signature
//      with the key GET /api/v1/signing-key publishes;
//   3. scs-compliance-check.py with km-check as the key-manager executable gives the same results, rc and
//      lines as with openstack_test.py for the lab's member, default-policy, reader-only and admin users,
//      on a key-manager scope and on upstream's own scope file;
//   4. the public badge endpoint for shields.io.
// The upstream programs come from the scs-upstream kit (found as test:lab finds it: SCS_UPSTREAM_DIR, or
// shared/scs-upstream above the checkout, or /work/shared/scs-upstream), run as separate processes, never
// copied into the project. Without the kit the stage fails at once, saying where it looked and how to
// point it at the kit: the acceptance is about the real programs. `--recorded` (opt-in, for a machine
// without the kit) runs the parts that need upstream's programs against what they produced here,
// recorded in tests/interop/fixtures (`npm run test:interop -- --record` records them anew), and the
// summary names every scenario that did not meet a real upstream program. With the kit, the recording is
// compared with what upstream produces now, so it cannot drift.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ensureInstalled, lab, readLabJson, type LabSettings } from '../../lab/lab-control';
import { adminCli, api, startApp, stopApp, ROOT, type App } from './app';
import {
  PY,
  addMonitorKey,
  findKit,
  freePort,
  missingPackages,
  monitorGet,
  pythonEnv,
  run,
  startMonitor,
  stopMonitor,
  type Kit,
  type Monitor,
} from './kit';
import { keyManagerScope, upstreamScopeAbsolute, upstreamScopeWithKmCheck } from './scope';

const RECORD = process.argv.includes('--record');
/** Opt-in, for a machine without the kit: the upstream parts against their recordings (never on CI). */
const RECORDED = process.argv.includes('--recorded');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const KM_CHECK = path.join(ROOT, 'bin', 'km-check.mjs');
const SETTINGS: LabSettings = {
  stateDir: path.join(ROOT, 'lab', 'state', 'test-interop'),
  keystonePort: Number(process.env.TEST_LAB_KEYSTONE_PORT ?? 25000),
  barbicanPort: Number(process.env.TEST_LAB_BARBICAN_PORT ?? 29311),
  barbicanDenyPort: Number(process.env.TEST_LAB_BARBICAN_DENY_PORT ?? 29312),
};
const CLOUDS_YAML = path.join(SETTINGS.stateDir, 'clouds.yaml');
const SUBJECT = 'interop-lab';
const OTHER_SUBJECT = 'interop-other';
const VARIANTS = [
  { cloud: 'lab', what: 'member' },
  { cloud: 'lab-deny', what: 'Barbican with the default policy' },
  { cloud: 'lab-reader', what: 'reader only' },
  { cloud: 'lab-admin', what: 'admin' },
] as const;

interface Outcome {
  name: string;
  ok: boolean;
  detail: string;
  /** The scenario is about an upstream program and ran against a recording of it (no kit here). */
  recorded: boolean;
}
const outcomes: Outcome[] = [];
/** Scenarios that need a real upstream program and have no recording to stand in for it. */
const notRun: string[] = [];
let kitPresent = false;

/** `upstream`: the scenario is about an upstream program (runner, checker, monitor); false: about ours alone. */
function record(name: string, ok: boolean, detail = '', upstream = true): void {
  const recorded = upstream && !kitPresent;
  outcomes.push({ name, ok, detail, recorded });
  process.stderr.write(
    `${ok ? 'ok  ' : 'FAIL'} ${recorded ? '[recorded] ' : ''}${name}${detail ? ` — ${detail}` : ''}\n`,
  );
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-interop-work-'));
fs.chmodSync(work, 0o755);
const file = (name: string, text?: string) => {
  const p = path.join(work, name);
  if (text !== undefined) fs.writeFileSync(p, text, { mode: 0o600 });
  return p;
};

function sshKeygen(args: string[]): void {
  const r = run('ssh-keygen', args);
  if (r.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${r.stderr.trim()}`);
}

function newKey(name: string, type: 'ed25519' | 'ecdsa' = 'ed25519'): { priv: string; pub: string } {
  const priv = file(name);
  sshKeygen(['-q', '-t', type, '-N', '', '-C', `${name}@interop`, '-f', priv]);
  return { priv, pub: fs.readFileSync(`${priv}.pub`, 'utf8').trim() };
}

/** Signs like scs-test-runner.py build_sign_command: ssh-keygen -Y sign -f KEY -n report FILE (writes FILE.sig). */
function sign(key: string, report: string): string {
  fs.rmSync(`${report}.sig`, { force: true });
  sshKeygen(['-q', '-Y', 'sign', '-f', key, '-n', 'report', report]);
  return `${report}.sig`;
}

/** Uploads like scs-test-runner.py build_upload_command (curl, two --data-binary parts), and reads the status. */
function curlUpload(
  baseUrl: string,
  report: string,
  basicToken: string,
  contentType = 'application/x-signed-yaml',
): { status: number; body: string } {
  const out = file(`answer-${crypto.randomUUID()}`);
  const r = run('curl', [
    '-s',
    '-o',
    out,
    '-w',
    '%{http_code}',
    '--data-binary',
    `@${report}.sig`,
    '--data-binary',
    `@${report}`,
    '-H',
    `Content-Type: ${contentType}`,
    '-H',
    `Authorization: Basic ${basicToken}`,
    `${baseUrl.replace(/\/?$/, '/')}reports`,
  ]);
  return { status: Number(r.stdout.trim()), body: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
}

const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');

interface World {
  app: App;
  admin: string;
  orgA: string;
  orgB: string;
  cloudA: string;
  cloudB: string;
  tokenA: string;
  tokenB: string;
  keyA: { priv: string; pub: string };
  keyB: { priv: string; pub: string };
}

async function setUp(app: App): Promise<World> {
  const admin = adminCli(app, ['create-token', app.adminEmail, '--days', '1', '--name', 'interop']);
  const ok = (a: { status: number; text: string }, want: number, what: string) => {
    if (a.status !== want) throw new Error(`${what}: ${a.status} ${a.text.slice(0, 300)}`);
  };
  for (const [slug, name] of [
    ['interop-csp', 'Interop CSP'],
    ['interop-other-csp', 'Other CSP'],
  ])
    ok(await api(app, admin, 'POST', '/api/v1/organizations', { slug, name }), 201, `organization ${slug}`);
  for (const [slug, organization, scsSubject] of [
    ['interop-lab-cloud', 'interop-csp', SUBJECT],
    ['interop-other-cloud', 'interop-other-csp', OTHER_SUBJECT],
  ])
    ok(
      await api(app, admin, 'POST', '/api/v1/clouds', {
        slug,
        name: slug,
        organization,
        region: 'RegionOne',
        public: true,
        scsSubject,
      }),
      201,
      `cloud ${slug}`,
    );
  adminCli(
    app,
    ['create-user', 'csp-a@interop.example', '--role', 'csp', '--org', 'interop-csp', '--password-stdin'],
    'interop-csp-a-password',
  );
  adminCli(
    app,
    ['create-user', 'csp-b@interop.example', '--role', 'csp', '--org', 'interop-other-csp', '--password-stdin'],
    'interop-csp-b-password',
  );
  const tokenA = adminCli(app, ['create-token', 'csp-a@interop.example', '--days', '1']);
  const tokenB = adminCli(app, ['create-token', 'csp-b@interop.example', '--days', '1']);
  const keyA = newKey('csp-a-runner');
  const keyB = newKey('csp-b-runner', 'ecdsa');
  ok(
    await api(app, tokenA, 'POST', '/api/v1/organizations/interop-csp/keys', { name: 'runner', publicKey: keyA.pub }),
    201,
    'key A',
  );
  // Staff approve the runner's key: only reports signed with a key the certification body approved
  // count (in SCS that is SCS's own runner key; a key the CSP registers itself would let it vouch for
  // itself). Key B stays unapproved: its reports are refused here anyway (another organization's key).
  ok(
    await api(app, admin, 'PUT', '/api/v1/organizations/interop-csp/keys/runner/approval'),
    200,
    'approval of key A (staff)',
  );
  ok(
    await api(app, tokenB, 'POST', '/api/v1/organizations/interop-other-csp/keys', {
      name: 'runner',
      publicKey: keyB.pub,
    }),
    201,
    'key B',
  );
  // The lab's member as cloud A's credential, set by staff: only they may allow loopback for a cloud.
  ok(
    await api(app, admin, 'PUT', '/api/v1/clouds/interop-lab-cloud/credential', {
      clouds_yaml: fs.readFileSync(CLOUDS_YAML, 'utf8'),
      cloud: 'lab',
      allow_private_addresses: true,
    }),
    200,
    'credential of cloud A',
  );
  return {
    app,
    admin,
    orgA: 'interop-csp',
    orgB: 'interop-other-csp',
    cloudA: 'interop-lab-cloud',
    cloudB: 'interop-other-cloud',
    tokenA,
    tokenB,
    keyA,
    keyB,
  };
}

const KM_RESULTS = (report: string) => {
  const out: Record<string, number> = {};
  for (const doc of parseAllDocuments(report)) {
    const d = doc.toJS() as { run: { invocations: Record<string, { results: Record<string, number> }> } } | null;
    for (const inv of Object.values(d?.run.invocations ?? {}))
      for (const [t, v] of Object.entries(inv.results)) if (t.startsWith('scs-0116-')) out[t] = v;
  }
  return out;
};
const VALUE: Record<string, number> = { PASS: 1, ABORT: 0, FAIL: -1 };

/** 1. The official runner uploads to us, unchanged; then the refusals, each beside the real monitor's answer. */
async function runnerUploads(kit: Kit | null, w: World, monitor: Monitor | null): Promise<void> {
  const rdir = path.join(work, 'runner');
  fs.mkdirSync(rdir, { recursive: true });
  const tokenfile = path.join(rdir, 'tokenfile');
  fs.writeFileSync(tokenfile, basic(SUBJECT, w.tokenA), { mode: 0o600 });
  const report = path.join(rdir, 'report.yaml');
  let upload: { status: number; body: string };
  if (kit) {
    fs.writeFileSync(
      path.join(rdir, 'config.toml'),
      [
        '[secrets]',
        `keyfile = "${w.keyA.priv}"`,
        `tokenfile = "${tokenfile}"`,
        '',
        '[scopes.scs-compatible-iaas]',
        `spec = "${kit.scope}"`,
        '',
        `[subjects."${SUBJECT}".mapping]`,
        'os_cloud = "lab"',
        '',
      ].join('\n'),
    );
    // The runner ignores curl's result: a curl config file makes its own curl print the status.
    fs.writeFileSync(path.join(rdir, '.curlrc'), 'write-out = "\\nINTEROP_HTTP_STATUS=%{http_code}\\n"\n');
    const r = run(
      PY,
      [
        kit.runner,
        '--config',
        path.join(rdir, 'config.toml'),
        'run',
        '--scope',
        'scs-compatible-iaas',
        '--subject',
        SUBJECT,
        '--monitor-url',
        w.app.url,
        '-o',
        report,
      ],
      { cwd: rdir, env: pythonEnv(kit, CLOUDS_YAML, { CURL_HOME: rdir }) },
    );
    const status = Number(/INTEROP_HTTP_STATUS=(\d+)/.exec(r.stdout + r.stderr)?.[1] ?? 0);
    upload = { status, body: r.stdout.replace(/\nINTEROP_HTTP_STATUS=\d+\n?/, '').trim() };
    if (RECORD) {
      // For machines without the kit: the runner's key-manager invocation, a template of the report.
      const text = fs.readFileSync(report, 'utf8');
      fs.writeFileSync(path.join(FIXTURES, 'runner-report.yaml'), recordedRunnerReport(text));
    }
  } else {
    // No runner here: the report it wrote on a machine with the kit, made current (new run.uuid and
    // time), signed and uploaded with the runner's own commands.
    const text = fs
      .readFileSync(path.join(FIXTURES, 'runner-report.yaml'), 'utf8')
      .replaceAll('@RUN_UUID@', crypto.randomUUID())
      .replaceAll('@SUBJECT@', SUBJECT)
      .replaceAll('@CHECKED_AT@', new Date().toISOString().replace('T', ' ').replace('Z', '000'))
      .replaceAll('@DATE@', new Date().toISOString().slice(0, 10));
    fs.writeFileSync(report, text);
    sign(w.keyA.priv, report);
    upload = curlUpload(w.app.url, report, basic(SUBJECT, w.tokenA));
  }
  record(
    kit
      ? 'the official runner (scs-test-runner.py, its ssh-keygen and curl) uploads to our /reports: 200'
      : "the runner's recorded report, signed with ssh-keygen and POSTed with curl as the runner does: 200",
    upload.status === 200,
    `HTTP ${upload.status} ${upload.body.slice(0, 200)}`,
  );
  if (upload.status !== 200) return;
  const text = fs.readFileSync(report, 'utf8');
  const runUuid = (
    parseAllDocuments(text)
      .map((d) => d.toJS())
      .find(Boolean) as { run: { uuid: string } }
  ).run.uuid;
  const runs = await api(w.app, w.tokenA, 'GET', `/api/v1/clouds/${w.cloudA}/runs`);
  const imported = runs.json?.items?.find((i: { source: string }) => i.source === 'official-runner');
  const detail = imported ? await api(w.app, w.tokenA, 'GET', `/api/v1/runs/${imported.id}`) : null;
  const ours = Object.fromEntries(
    (detail?.json?.results ?? []).map((r: { testcase: string; verdict: string }) => [r.testcase, VALUE[r.verdict]]),
  );
  const theirs = KM_RESULTS(text);
  record(
    "it is a run of the right cloud, source official-runner, with the runner's verdicts",
    detail?.json?.cloud === w.cloudA &&
      JSON.stringify(ours) === JSON.stringify(theirs) &&
      Object.keys(theirs).length > 0,
    `run ${imported?.id} of ${detail?.json?.cloud}: ours ${JSON.stringify(ours)}, runner ${JSON.stringify(theirs)}`,
  );
  record(
    "it counts toward the cloud's verdicts: signed with the runner's key, which staff approved",
    detail?.json?.counts === true && typeof detail?.json?.signedBy?.approvedAt === 'string',
    `counts ${detail?.json?.counts}, signed by ${JSON.stringify(detail?.json?.signedBy)}${detail?.json?.notCountedReason ? `: ${detail.json.notCountedReason}` : ''}`,
  );
  const signed = await api(w.app, w.tokenA, 'GET', `/api/v1/runs/${imported?.id}/report?format=signed-yaml`);
  record(
    'its signed-yaml download is exactly what the runner POSTed',
    signed.text === `${fs.readFileSync(`${report}.sig`, 'utf8')}&${text}`,
    `${signed.status}, ${signed.text.length} bytes, run.uuid ${runUuid}`,
  );

  // The same signed file again, and the refusals: the real monitor is asked the same (its own account).
  const monitorToken = monitor ? basic('interop-monitor-csp', monitor.subjects['interop-monitor-csp']!.apiKey) : '';
  const both = (
    name: string,
    want: number,
    ours: () => { status: number; body: string },
    theirs?: () => { status: number; body: string },
  ) => {
    const a = ours();
    const b = monitor && theirs ? theirs() : null;
    record(
      `${name}: ${want}${b ? ', as the real monitor answers' : ''}`,
      a.status === want && (!b || b.status === want),
      `ours ${a.status} ${a.body.slice(0, 160)}${b ? ` | monitor ${b.status} ${b.body.slice(0, 120)}` : ''}`,
    );
  };
  // The monitor's copy of the report: its own subject, signed with its own key for that subject.
  const mreport = path.join(work, 'monitor-report.yaml');
  if (monitor) {
    fs.writeFileSync(mreport, text.replaceAll(`subject: ${SUBJECT}`, 'subject: interop-monitor-csp'));
    sign(monitor.subjects['interop-monitor-csp']!.privateKey, mreport);
    const first = curlUpload(monitor.url, mreport, monitorToken);
    record(
      'the real monitor takes the same report for its subject (200)',
      first.status === 200,
      `${first.status} ${first.body}`,
    );
  }
  both(
    'the same upload again',
    409,
    () => curlUpload(w.app.url, report, basic(SUBJECT, w.tokenA)),
    () => curlUpload(monitor!.url, mreport, monitorToken),
  );
  // One result changed after signing (1 -> -1, anything else -> 1); the original's signature kept.
  const tamper = (src: string, name: string) => {
    const t = path.join(work, name);
    const body = fs.readFileSync(src, 'utf8');
    fs.writeFileSync(
      t,
      body.replace(
        /(\n {8}scs-0116-permissions: )(-?\d)\n/,
        (_m, k: string, v: string) => `${k}${v === '1' ? '-1' : '1'}\n`,
      ),
    );
    if (fs.readFileSync(t, 'utf8') === body) throw new Error('tamper: no result line found');
    fs.copyFileSync(`${src}.sig`, `${t}.sig`);
    return t;
  };
  const tampered = tamper(report, 'tampered.yaml');
  const mtampered = monitor ? tamper(mreport, 'monitor-tampered.yaml') : '';
  both(
    'a tampered body (the signature of the original)',
    401,
    () => curlUpload(w.app.url, tampered, basic(SUBJECT, w.tokenA)),
    () => curlUpload(monitor!.url, mtampered, monitorToken),
  );
  const stranger = newKey('stranger');
  const fresh = (src: string, name: string, subject?: string) => {
    const t = path.join(work, name);
    let body = fs.readFileSync(src, 'utf8').replace(/(\nrun:\n {2}uuid: )[0-9a-f-]{36}/, `$1${crypto.randomUUID()}`);
    if (subject) body = body.replaceAll(/^subject: .*$/gm, `subject: ${subject}`);
    fs.writeFileSync(t, body);
    return t;
  };
  const unknownKey = fresh(report, 'unknown-key.yaml');
  sign(stranger.priv, unknownKey);
  const munknown = monitor ? fresh(mreport, 'monitor-unknown-key.yaml') : '';
  if (monitor) sign(stranger.priv, munknown);
  both(
    'signed with a key nobody registered',
    401,
    () => curlUpload(w.app.url, unknownKey, basic(SUBJECT, w.tokenA)),
    () => curlUpload(monitor!.url, munknown, monitorToken),
  );
  // Another organization: its user (with its own registered key) uploads a report of our subject ...
  const foreign = fresh(report, 'foreign.yaml');
  sign(w.keyB.priv, foreign);
  both("another organization's user for this subject", 401, () =>
    curlUpload(w.app.url, foreign, basic(SUBJECT, w.tokenB)),
  );
  // ... and our user uploads a report whose subject is the other organization's cloud.
  const otherSubject = fresh(report, 'other-subject.yaml', OTHER_SUBJECT);
  sign(w.keyA.priv, otherSubject);
  const mother = monitor ? fresh(mreport, 'monitor-other-subject.yaml', 'interop-monitor-other') : '';
  if (monitor) sign(monitor.subjects['interop-monitor-csp']!.privateKey, mother);
  both(
    "a report of another organization's subject",
    401,
    () => curlUpload(w.app.url, otherSubject, basic(SUBJECT, w.tokenA)),
    () => curlUpload(monitor!.url, mother, monitorToken),
  );
  const otherUser = curlUpload(w.app.url, otherSubject, basic(OTHER_SUBJECT, w.tokenA));
  record(
    "our user naming the other organization's subject as user name: 401",
    otherUser.status === 401,
    `${otherUser.status} ${otherUser.body.slice(0, 160)}`,
    kitPresent,
  );
  both(
    'Content-Type application/yaml',
    415,
    () => curlUpload(w.app.url, fresh(report, 'type.yaml'), basic(SUBJECT, w.tokenA), 'application/yaml'),
    () => curlUpload(monitor!.url, fresh(mreport, 'monitor-type.yaml'), monitorToken, 'application/yaml'),
  );
  const count = await api(w.app, w.tokenA, 'GET', `/api/v1/clouds/${w.cloudA}/runs`);
  record(
    'nothing of the refused uploads was stored',
    count.json.items.filter((i: { source: string }) => i.source === 'official-runner').length === 1,
    `${count.json.total} run(s)`,
  );
}

/** The runner's report as a fixture: its key-manager invocation only, with placeholders for what changes. */
function recordedRunnerReport(text: string): string {
  const doc = parseAllDocuments(text)[0]!.toJS() as Record<string, unknown> & {
    run: { uuid: string; invocations: Record<string, { results: Record<string, number> }> };
  };
  return [
    '# Recorded from the official runner (scs-test-runner.py, scs-compatible-iaas, upstream 077174d9) against the',
    '# lab member by `npm run test:interop -- --record`: its key-manager results; placeholders are filled at upload.',
    '---',
    'spec:',
    '  uuid: 50393e6f-2ae1-4c5c-a62c-3b75f2abef3f',
    '  name: SCS-compatible IaaS',
    '  url: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml',
    'checked_at: @CHECKED_AT@',
    'reference_date: @DATE@',
    'subject: @SUBJECT@',
    'run:',
    '  uuid: @RUN_UUID@',
    '  argv: []',
    '  assignment:',
    '    os_cloud: lab',
    '  sections: null',
    '  forced_version: null',
    '  forced_tests: null',
    '  invocations:',
    ...Object.entries(doc.run.invocations).flatMap(([id, inv]) => [
      `    ${id}:`,
      `      id: ${id}`,
      '      results:',
      ...Object.entries(inv.results)
        .filter(([t]) => t.startsWith('scs-0116-'))
        .map(([t, v]) => `        ${t}: ${v}`),
    ]),
    '',
  ].join('\n');
}

/** 2. Our own run forwarded to the real monitor; our signature checked by ssh-keygen. */
async function forwardAndVerify(w: World, monitor: Monitor | null): Promise<void> {
  const key = await api(w.app, null, 'GET', '/api/v1/signing-key');
  record(
    'GET /api/v1/signing-key: one OpenSSH line, text/plain, public',
    key.status === 200 &&
      /^ssh-ed25519 \S+ \S+\n$/.test(key.text) &&
      key.headers.get('content-type')?.startsWith('text/plain') === true,
    key.text.trim(),
    false,
  );
  if (monitor) {
    await addMonitorKey(monitor, SUBJECT, key.text, 'scs-km-dashboard');
    const put = await api(w.app, w.admin, 'PUT', `/api/v1/clouds/${w.cloudA}/forwarding`, {
      url: monitor.url,
      account: SUBJECT,
      apiKey: monitor.subjects[SUBJECT]!.apiKey,
    });
    record('forwarding set for the cloud (staff)', put.status === 200, `${put.status} ${put.text.slice(0, 200)}`);
  }
  const started = await api(w.app, w.tokenA, 'POST', `/api/v1/clouds/${w.cloudA}/runs`, {});
  const id = started.json?.id as string;
  let runView: { status: string; results: Array<{ testcase: string; verdict: string }> } | null = null;
  for (let i = 0; i < 240; i++) {
    const r = await api(w.app, w.tokenA, 'GET', `/api/v1/runs/${id}`);
    if (['finished', 'cancelled', 'interrupted'].includes(r.json?.status)) {
      runView = r.json;
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  const permissions = runView?.results.find((r) => r.testcase === 'scs-0116-permissions')?.verdict;
  record(
    'our run of the lab member finished, scs-0116-permissions PASS',
    runView?.status === 'finished' && permissions === 'PASS',
    `${runView?.status} ${permissions}`,
    false,
  );

  const signed = await api(w.app, w.tokenA, 'GET', `/api/v1/runs/${id}/report?format=signed-yaml`);
  const sep = '-----END SSH SIGNATURE-----\n&';
  const at = signed.text.indexOf(sep) + sep.length;
  const sig = file('ours.yaml.sig', signed.text.slice(0, at - 1));
  const yaml = file('ours.yaml', signed.text.slice(at));
  const allowed = file('allowed_signers', `dashboard@interop ${key.text.trim()}\n`);
  const v = run('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'dashboard@interop', '-n', 'report', '-s', sig], {
    input: fs.readFileSync(yaml, 'utf8'),
  });
  record(
    'ssh-keygen -Y verify accepts our signature with the published key',
    v.status === 0 && /Good "report" signature for dashboard@interop/.test(v.stdout + v.stderr),
    (v.stdout + v.stderr).trim(),
    false,
  );
  const v2 = run('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'dashboard@interop', '-n', 'report', '-s', sig], {
    input: fs.readFileSync(yaml, 'utf8').replace('scs-0116-permissions: 1', 'scs-0116-permissions: 0'),
  });
  record('... and refuses it for a changed report', v2.status !== 0, (v2.stdout + v2.stderr).trim(), false);

  if (!monitor) {
    process.stderr.write('NOT RUN  forwarding to the real compliance monitor (the scs-upstream kit is not here)\n');
    notRun.push('our forwarded report accepted by the real monitor and shown at its GET /status?subject=');
    return;
  }
  let delivery: { status: string; log: Array<{ statusCode?: number; error?: string }> } | undefined;
  for (let i = 0; i < 120; i++) {
    const f = await api(w.app, w.admin, 'GET', `/api/v1/clouds/${w.cloudA}/forwarding`);
    delivery = f.json?.deliveries?.items?.find((d: { runId: string }) => d.runId === id);
    if (delivery && delivery.status !== 'pending') break;
    await new Promise((res) => setTimeout(res, 500));
  }
  record(
    'our forwarded report is accepted by the real monitor (200)',
    delivery?.status === 'delivered' && delivery.log.at(-1)?.statusCode === 200,
    JSON.stringify(delivery?.log ?? 'no delivery'),
  );
  const stored = await monitorGet(monitor, `/reports/${id}`, monitor.admin);
  record(
    'the monitor stored it under our run id (GET /reports/<uuid> as admin)',
    stored.status === 200,
    `${stored.status}`,
  );
  const status = await monitorGet(monitor, `/status?subject=${SUBJECT}`);
  const results = (
    status.json as Record<string, Record<string, { results: Record<string, { result: number; report: string }> }>>
  )?.[SUBJECT]?.['50393e6f-2ae1-4c5c-a62c-3b75f2abef3f']?.results;
  record(
    'its public GET /status?subject= shows our scs-0116-permissions result',
    results?.['scs-0116-permissions']?.report === id && results['scs-0116-permissions'].result === VALUE[permissions!],
    JSON.stringify(results?.['scs-0116-permissions'] ?? status.text.slice(0, 200)),
  );
}

interface Invocation {
  results: Record<string, number>;
  rc: number;
  stdout: string[];
  critical: number;
}

/** Runs scs-compliance-check.py as the runner does (--debug -C -o -s -a os_cloud=) and reads its report. */
function checker(kit: Kit, spec: string, cloud: string): { rc: number; invocations: Invocation[] } {
  const out = path.join(path.dirname(spec), `report-${crypto.randomUUID()}.yaml`);
  const r = run(PY, [kit.checker, spec, '--debug', '-C', '-o', out, '-s', 'interop', '-a', `os_cloud=${cloud}`], {
    env: pythonEnv(kit, CLOUDS_YAML),
    cwd: kit.tests,
  });
  if (!fs.existsSync(out))
    throw new Error(`scs-compliance-check.py wrote no report (${r.status}): ${r.stderr.slice(-500)}`);
  const doc = parse(fs.readFileSync(out, 'utf8')) as { run: { invocations: Record<string, Invocation> } };
  return { rc: r.status ?? -1, invocations: Object.values(doc.run.invocations) };
}

/** 3. km-check in the place of openstack_test.py, under the real checker. */
function kmCheckDropIn(kit: Kit | null): void {
  const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'upstream-km.json'), 'utf8')) as Record<
    string,
    Invocation & { checkerRc: number }
  >;
  const sdir = path.join(work, 'scopes');
  fs.mkdirSync(sdir);
  if (!kit) {
    // No checker here: km-check exactly as the checker would call it (the scope's args), against what
    // openstack_test.py printed for the same lab users on a machine with the kit.
    for (const v of VARIANTS) {
      const r = run(process.execPath, [KM_CHECK, '-c', v.cloud, 'scs-0116-permissions', 'scs-0116-presence'], {
        env: { ...process.env, OS_CLIENT_CONFIG_FILE: CLOUDS_YAML },
      });
      const stdout = r.stdout.split('\n').filter(Boolean);
      const critical = (r.stderr + r.stdout).split('\n').filter((l) => l.toLowerCase().startsWith('critical')).length;
      const want = recorded[v.cloud]!;
      const ok =
        JSON.stringify(stdout) === JSON.stringify(want.stdout) && r.status === want.rc && critical === want.critical;
      record(
        `km-check as openstack_test.py printed it, ${v.what} (${v.cloud})`,
        ok,
        `${stdout.join(', ')}; rc ${r.status}; ${critical} critical`,
      );
    }
    return;
  }
  const official = path.join(sdir, 'km-openstack_test.yaml');
  const ours = path.join(sdir, 'km-km-check.yaml');
  fs.writeFileSync(official, keyManagerScope(kit.openstackTest));
  fs.writeFileSync(ours, keyManagerScope(KM_CHECK));
  const record_: Record<string, Invocation & { checkerRc: number }> = {};
  for (const v of VARIANTS) {
    const a = checker(kit, official, v.cloud);
    const b = checker(kit, ours, v.cloud);
    const [ia, ib] = [a.invocations[0]!, b.invocations[0]!];
    const same =
      JSON.stringify(ia.results) === JSON.stringify(ib.results) &&
      JSON.stringify(ia.stdout) === JSON.stringify(ib.stdout) &&
      ia.rc === ib.rc &&
      ia.critical === ib.critical &&
      a.rc === b.rc;
    record(
      `scs-compliance-check.py: km-check gives what openstack_test.py gives, ${v.what} (${v.cloud})`,
      same,
      `openstack_test.py ${JSON.stringify(ia.results)} rc ${ia.rc}/${a.rc}; km-check ${JSON.stringify(ib.results)} rc ${ib.rc}/${b.rc}`,
    );
    record_[v.cloud] = { results: ia.results, rc: ia.rc, stdout: ia.stdout, critical: ia.critical, checkerRc: a.rc };
    const want = recorded[v.cloud];
    if (!RECORD)
      record(
        `the recording of openstack_test.py still holds, ${v.cloud}`,
        !!want &&
          JSON.stringify(want.results) === JSON.stringify(ia.results) &&
          JSON.stringify(want.stdout) === JSON.stringify(ia.stdout) &&
          want.rc === ia.rc,
        want ? '' : 'no recording: run npm run test:interop -- --record',
      );
  }
  if (RECORD) fs.writeFileSync(path.join(FIXTURES, 'upstream-km.json'), `${JSON.stringify(record_, null, 2)}\n`);
  // Upstream's own scope file, its key-manager testcases moved to km-check: every result the same.
  const up = path.join(sdir, 'iaas-openstack_test.yaml');
  const upKm = path.join(sdir, 'iaas-km-check.yaml');
  fs.writeFileSync(up, upstreamScopeAbsolute(kit.scope, kit.openstackTest));
  fs.writeFileSync(upKm, upstreamScopeWithKmCheck(kit.scope, kit.openstackTest, KM_CHECK));
  const merged = (r: { invocations: Invocation[] }) =>
    Object.assign({}, ...r.invocations.map((i) => i.results)) as Record<string, number>;
  const a = merged(checker(kit, up, 'lab'));
  const b = merged(checker(kit, upKm, 'lab'));
  const differ = Object.keys({ ...a, ...b }).filter((t) => a[t] !== b[t]);
  record(
    "upstream's scs-compatible-iaas.yaml with km-check for the key-manager testcases: every result the same (lab member)",
    differ.length === 0 && a['scs-0116-permissions'] === 1,
    `${Object.keys(a).length} results; scs-0116-permissions ${a['scs-0116-permissions']}; differing: ${differ.join(', ') || 'none'}`,
  );
}

/** 4. The shields.io endpoint badge and the Atom feeds of the public cloud. */
async function badge(w: World): Promise<void> {
  const feed = await api(w.app, null, 'GET', `/status/${w.cloudA}/feed.atom`);
  const page = await api(w.app, null, 'GET', `/status/${w.cloudA}`);
  record(
    "the cloud's Atom feed has its status change; its status page links the feed",
    feed.status === 200 &&
      (feed.text.match(/<entry>/g) ?? []).length >= 1 &&
      page.text.includes(`<link rel="alternate" type="application/atom+xml"`) &&
      page.text.includes(`href="/status/${w.cloudA}/feed.atom"`),
    `${feed.status}, ${(feed.text.match(/<entry>/g) ?? []).length} entries: ${/<title>([^<]*)<\/title>\s*<updated>/.exec(feed.text.split('<entry>')[1] ?? '')?.[1] ?? ''}`,
    false,
  );
  const b = await api(w.app, null, 'GET', `/badge/${w.cloudA}.json`);
  record(
    'shields.io endpoint /badge/{slug}.json',
    b.status === 200 &&
      b.json?.schemaVersion === 1 &&
      b.json.label === 'SCS key manager' &&
      !!b.json.message &&
      /^[0-9a-f]{6}$/.test(b.json.color),
    b.text,
    false,
  );
  const missing = await api(w.app, null, 'GET', '/badge/no-such-cloud.json');
  record(
    '... 404 with isError for a cloud that is not public',
    missing.status === 404 && missing.json?.isError === true,
    missing.text,
    false,
  );
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const kit = findKit();
  kitPresent = !!kit;
  if (kit) {
    const missing = missingPackages();
    if (missing.length) {
      process.stderr.write(
        `test:interop: the scs-upstream kit needs Debian packages: apt-get install -y --no-install-recommends ${missing.join(' ')}\n`,
      );
      return 1;
    }
  } else if (RECORD) {
    process.stderr.write('test:interop --record needs the scs-upstream kit (SCS_UPSTREAM_DIR)\n');
    return 2;
  } else if (!RECORDED) {
    process.stdout.write(
      [
        'FAILED: test:interop needs the SCS kit (the real compliance monitor, runner and checker), and it is not here.',
        `  Looked for upstream/Tests/iaas/openstack_test.py, scs-test-runner.py, scs-compliance-check.py and`,
        `  start-monitor.sh in: ${process.env.SCS_UPSTREAM_DIR ? `SCS_UPSTREAM_DIR=${process.env.SCS_UPSTREAM_DIR}` : `shared/scs-upstream in every folder above ${ROOT}, and /work/shared/scs-upstream`}.`,
        '  Fix: SCS_UPSTREAM_DIR=/path/to/scs-upstream npm run test:interop (the kit of /work/shared/scs-upstream,',
        "  see its README.md; .ci/run installs its Debian packages). Without the kit, 'npm run test:interop -- --recorded'",
        '  runs the upstream parts against recordings (tests/interop/fixtures); that does not show the acceptance.',
        '',
      ].join('\n'),
    );
    return 1;
  }
  const refusal = ensureInstalled(SETTINGS);
  if (refusal) {
    process.stderr.write(`test:interop: ${refusal}\n`);
    return 1;
  }
  process.stderr.write(
    kit
      ? `test:interop: the real SCS programs from ${kit.dir}\n`
      : `test:interop: the scs-upstream kit is not on this machine (SCS_UPSTREAM_DIR, or shared/scs-upstream above the checkout): the scenarios that need upstream's programs run against their recording in tests/interop/fixtures\n`,
  );
  let app: App | null = null;
  let monitorWork: string | null = null;
  let labStarted = false;
  const stopAll = async () => {
    if (app) await stopApp(app).catch(() => {});
    app = null;
    if (kit && monitorWork) stopMonitor(kit, monitorWork);
    monitorWork = null;
    if (labStarted) {
      labStarted = false;
      try {
        lab(SETTINGS, 'stop');
      } catch (err) {
        process.stderr.write(`test:interop: stopping the lab failed: ${String(err)}\n`);
      }
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    lab(SETTINGS, 'stop');
    labStarted = true;
    lab(SETTINGS, 'start', '--deny-region');
    readLabJson(SETTINGS);
    let monitor: Monitor | null = null;
    if (kit) {
      // The monitor keeps its PostgreSQL under a short path the postgres user can reach.
      monitorWork = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-mon-'));
      fs.rmSync(monitorWork, { recursive: true });
      const port = Number(process.env.INTEROP_MONITOR_PORT || (await freePort()));
      monitor = startMonitor(kit, monitorWork, port, [SUBJECT, 'interop-monitor-csp', 'interop-monitor-other']);
      record('the real compliance monitor is up', true, monitor.url);
    }
    const port = Number(process.env.INTEROP_PORT || (await freePort()));
    const t = Date.now();
    app = await startApp(port);
    record(
      'the dashboard is up (npm start, embedded PostgreSQL)',
      true,
      `${app.url} in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      false,
    );
    const w = await setUp(app);
    await runnerUploads(kit, w, monitor);
    await forwardAndVerify(w, monitor);
    kmCheckDropIn(kit);
    await badge(w);
  } catch (err) {
    record(
      'test:interop ran to the end',
      false,
      err instanceof Error ? (err.stack ?? err.message) : String(err),
      false,
    );
    if (app) process.stderr.write(`last lines of the app:\n${(app as App).log.slice(-30).join('\n')}\n`);
  } finally {
    await stopAll();
  }
  const failed = outcomes.filter((o) => !o.ok);
  const recorded = outcomes.filter((o) => o.recorded);
  process.stdout.write('\n');
  for (const o of failed) process.stdout.write(`FAILED: ${o.name}${o.detail ? `: ${o.detail}` : ''}\n`);
  if (!kit) {
    process.stdout.write(
      `NOTE: the scs-upstream kit is not on this machine: ${recorded.length} scenario(s) ran against recordings of upstream's programs (tests/interop/fixtures), not against the programs.\n`,
    );
    for (const n of notRun) process.stdout.write(`NOT RUN (needs the real program): ${n}\n`);
  }
  process.stdout.write(`test:interop finished in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`test:interop: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
