// The real SCS programs for npm run test:interop, from the scs-upstream kit (README.md there): the
// compliance monitor (start-monitor.sh / stop-monitor.sh), the official runner (scs-test-runner.py) and
// checker (scs-compliance-check.py) with openstack_test.py. They run as separate processes from the kit's
// folder (SCS_UPSTREAM_DIR, default /work/shared/scs-upstream); nothing of them is copied into the project.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { upstreamKit } from '../../lab/agreement';

export const PY = '/usr/bin/python3';
/** Debian packages the kit needs (its README's install line); .ci/run installs them. */
export const KIT_PACKAGES = [
  'postgresql-15',
  'python3-fastapi',
  'python3-uvicorn',
  'python3-psycopg2',
  'python3-jinja2',
  'python3-markdown',
  'python3-passlib',
  'python3-argon2',
  'python3-bcrypt',
  'python3-ruamel.yaml',
  'python3-openstacksdk',
  'python3-yaml',
  'python3-click',
  'python3-tomli',
  'python3-boto3',
  'openssh-client',
  'curl',
];

export interface Kit {
  dir: string;
  tests: string;
  checker: string;
  runner: string;
  openstackTest: string;
  scope: string;
  shims: string;
}

/** The kit, where test:lab finds it (lab/agreement.ts: SCS_UPSTREAM_DIR, or shared/scs-upstream above us). */
export function findKit(): Kit | null {
  const dir = upstreamKit();
  if (!dir) return null;
  const tests = path.join(dir, 'upstream', 'Tests');
  const kit = {
    dir,
    tests,
    checker: path.join(tests, 'scs-compliance-check.py'),
    runner: path.join(tests, 'scs-test-runner.py'),
    openstackTest: path.join(tests, 'iaas', 'openstack_test.py'),
    scope: path.join(tests, 'scs-compatible-iaas.yaml'),
    shims: path.join(dir, 'shims'),
  };
  const needed = [kit.checker, kit.runner, kit.openstackTest, kit.scope, path.join(dir, 'start-monitor.sh')];
  return needed.every((f) => fs.existsSync(f)) ? kit : null;
}

export function missingPackages(): string[] {
  return KIT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

/** A port the kernel says is free now (for the monitor and our app when none is configured). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}) {
  return spawnSync(cmd, args, {
    encoding: 'utf8',
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    input: opts.input,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  }) as SpawnSyncReturns<string>;
}

export interface Monitor {
  url: string;
  pid: number;
  work: string;
  admin: { user: string; apiKey: string };
  subjects: Record<string, { apiKey: string; privateKey: string; publicKey: string }>;
  bootstrap: string;
}

/** Starts the real monitor (its own PostgreSQL 15) with accounts for the subjects. */
export function startMonitor(kit: Kit, work: string, port: number, subjects: string[]): Monitor {
  const r = run('bash', [path.join(kit.dir, 'start-monitor.sh'), work, String(port), ...subjects]);
  if (r.status !== 0)
    throw new Error(`start-monitor.sh failed (${r.status}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const m = JSON.parse(fs.readFileSync(path.join(work, 'monitor.json'), 'utf8'));
  return {
    url: m.url,
    pid: m.pid,
    work,
    admin: { user: m.admin.user, apiKey: m.admin.api_key },
    subjects: Object.fromEntries(
      Object.entries(m.subjects as Record<string, { api_key: string; private_key: string; public_key: string }>).map(
        ([s, v]) => [s, { apiKey: v.api_key, privateKey: v.private_key, publicKey: v.public_key }],
      ),
    ),
    bootstrap: m.bootstrap,
  };
}

export function stopMonitor(kit: Kit, work: string): void {
  run('bash', [path.join(kit.dir, 'stop-monitor.sh'), work]);
}

/**
 * Adds a public key to a subject's account in the monitor's bootstrap.yaml and reloads it (upstream's
 * SIGHUP reload), as the monitor's operators register a CSP's or a dashboard's key.
 */
export async function addMonitorKey(m: Monitor, subject: string, publicKeyLine: string, name: string): Promise<void> {
  const [type, key] = publicKeyLine.trim().split(/\s+/);
  const text = fs.readFileSync(m.bootstrap, 'utf8');
  const anchor = `  - subject: "${subject}"\n`;
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`no account ${subject} in ${m.bootstrap}`);
  const keysAt = text.indexOf('    keys:\n', at) + '    keys:\n'.length;
  const entry = `      - public_key: "${key}"\n        public_key_type: "${type}"\n        public_key_name: "${name}"\n`;
  fs.writeFileSync(m.bootstrap, text.slice(0, keysAt) + entry + text.slice(keysAt));
  // upstream's reload runs in the monitor's main thread as a signal handler: wait for its log line.
  const log = path.join(m.work, 'monitor.log');
  const loads = () => (fs.readFileSync(log, 'utf8').match(/loading static config/g) ?? []).length;
  const before = loads();
  process.kill(m.pid, 'SIGHUP');
  for (let i = 0; i < 100 && loads() === before; i++) await new Promise((r) => setTimeout(r, 100));
  if (loads() === before) throw new Error('the monitor did not reload its bootstrap file');
  await new Promise((r) => setTimeout(r, 500));
}

/** GET with the monitor's Accept header quirk (no Accept: 500) handled. */
export async function monitorGet(m: Monitor, p: string, auth?: { user: string; apiKey: string }) {
  const res = await fetch(`${m.url}${p}`, {
    headers: {
      Accept: 'application/json',
      ...(auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.apiKey}`).toString('base64')}` } : {}),
    },
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json };
}

/** The environment the kit's scripts give upstream's Python: Debian's python, the shims, the lab's clouds.yaml. */
export function pythonEnv(kit: Kit, cloudsYaml: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONPATH: kit.shims,
    PYTHONDONTWRITEBYTECODE: '1',
    OS_CLIENT_CONFIG_FILE: cloudsYaml,
    ...extra,
  };
}
