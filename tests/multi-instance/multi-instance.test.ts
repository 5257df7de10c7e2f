// Past one machine (issue 14 item 5): two web instances (`npm start`'s scripts/start.ts, WORKERS=off,
// one AUTH_SECRET) and two worker processes on one PostgreSQL started on its own (the integration
// suite's global setup), as several machines would run them. Runs requested through both instances
// spread over both workers; a session made on one instance works on the other; the sign-in limiter
// counts failures made on both; a worker killed with SIGKILL mid-run leaves the run interrupted and
// the other worker sweeps its leftover at the cloud's next run.
// `npm run test:multi-instance` (in .ci/run, not in `npm test`); about 1-2 minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { db } from '../../lib/db';
import { OpenStackSimulator, simulatorCloud } from '../../lab/simulator';
import { systemActor } from '../../lib/auth/policy';
import { createToken } from '../../lib/tokens';
import { kekDirectory } from '../../lib/vault/vault';
import { makeCloud, makeOrg, waitFor } from '../integration/support/fixtures';
import { spawnWorker, writeConfigs, type WorkerChild } from '../integration/support/spawn-worker';

const AUTH_SECRET = 'multi-instance-auth-secret-multi-instance';
const PASSWORD = 'multi-instance-password-1';
const SIGNIN_LIMIT = 4;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-multi-'));
const webs: Array<{ proc: ChildProcess; base: string }> = [];
const workers: WorkerChild[] = [];
const sims: OpenStackSimulator[] = [];
let normal: OpenStackSimulator;
let hanging: OpenStackSimulator;
let token: string;
let victimSlug: string;
let configFile: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startInstance(name: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: 'off',
      DATA_DIR: path.join(tmp, name),
      // Several machines on one database share one KEK (as they share AUTH_SECRET): the first start
      // seals the instance's signing key with it and every other instance and worker must open it.
      KEK_DIR: kekDirectory(),
      AUTH_SECRET,
      SIGNIN_LIMIT: String(SIGNIN_LIMIT),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out.slice(-3000)}`)), 600_000);
    const on = (d: Buffer) => {
      out += String(d);
      if (/serving http/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', on);
    proc.stderr!.on('data', on);
    proc.once('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out.slice(-3000)}`)));
  });
  return { proc, base: `http://127.0.0.1:${port}` };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

const cookieOf = (setCookies: string[], previous = '') =>
  [previous, ...setCookies.map((c) => c.split(';')[0])].filter(Boolean).join('; ');

/** A password sign-in through Auth.js at `base`: the session cookie, or the refusal code. */
async function signIn(base: string, email: string, password: string): Promise<{ cookie: string | null; code: string }> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = cookieOf(csrf.headers.getSetCookie());
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/compliance` }),
  });
  const set = res.headers.getSetCookie();
  const location = res.headers.get('location') ?? '';
  const code = /[?&]code=([^&]+)/.exec(location)?.[1] ?? /[?&]error=([^&]+)/.exec(location)?.[1] ?? '';
  return set.some((c) => /authjs\.session-token=/.test(c))
    ? { cookie: cookieOf(set, jar), code: 'ok' }
    : { cookie: null, code };
}

function createUser(email: string): void {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/admin.ts', 'create-user', email, '--role', 'admin', '--password-stdin'],
    { input: PASSWORD, encoding: 'utf8', env: process.env },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}

async function requestRun(base: string, slug: string, testcases: string[]): Promise<string> {
  const res = await fetch(`${base}/api/v1/clouds/${slug}/runs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ testcases }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST runs ${slug}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  normal = await new OpenStackSimulator({ policy: 'creator' }).start();
  hanging = await new OpenStackSimulator({ policy: 'creator' }).start();
  sims.push(normal, hanging);
  const org = await makeOrg();
  victimSlug = (await makeCloud(org.id)).slug;
  configFile = writeConfigs({
    '*': simulatorCloud(normal, 'member'),
    [victimSlug]: simulatorCloud(hanging, 'member', {
      timeouts: { connectMs: 2_000, headersMs: 120_000, bodyMs: 120_000 },
    }),
  });
  const admin = await db.user.create({ data: { email: `multi-${Date.now()}@multi.invalid`, role: 'admin' } });
  token = (
    await createToken({ actor: systemActor('multi'), clientAddress: null }, admin.id, { name: 'multi', days: 1 })
  ).token;
  // One after the other: the first start may build the app.
  webs.push(await startInstance('web-a'));
  webs.push(await startInstance('web-b'));
  const env = { RUN_HEARTBEAT_MS: '300', WORKER_CONCURRENCY: '4' };
  workers.push(...(await Promise.all([spawnWorker(configFile, env), spawnWorker(configFile, env)])));
}, 900_000);

afterAll(async () => {
  await Promise.all([...workers.map((w) => w.stop()), ...webs.map((w) => stop(w.proc))]);
  await Promise.all(sims.map((s) => s.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('two web instances and two workers on one PostgreSQL', () => {
  it('a session made on one instance works on the other', async () => {
    const email = `session-${Date.now()}@multi.invalid`;
    createUser(email);
    const [a, b] = webs;
    const { cookie } = await signIn(a.base, email, PASSWORD);
    expect(cookie).toBeTruthy();
    const me = await fetch(`${b.base}/api/v1/me`, { headers: { cookie: cookie! } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(email);
    expect((await fetch(`${b.base}/api/v1/me`)).status).toBe(401);
  });

  it('the sign-in limiter counts the failures made on both instances', async () => {
    const email = `limited-${Date.now()}@multi.invalid`;
    createUser(email);
    const [a, b] = webs;
    // Half of the allowed failures on each instance: neither alone reached the limit.
    for (let i = 0; i < SIGNIN_LIMIT; i++) {
      const r = await signIn(i % 2 ? b.base : a.base, email, `wrong-password-${i}`);
      expect(r.cookie).toBeNull();
    }
    for (const w of [a, b]) {
      const r = await signIn(w.base, email, PASSWORD);
      expect(r.cookie).toBeNull();
      expect(r.code).toBe('rate_limited');
    }
  });

  it('runs requested through both instances spread over both workers, each run once', async () => {
    const org = await makeOrg();
    const clouds = await Promise.all(Array.from({ length: 24 }, () => makeCloud(org.id)));
    const ids = await Promise.all(
      clouds.map((c, i) => requestRun(webs[i % 2].base, c.slug, ['scs-0116-presence', 'scs-0116-permissions'])),
    );
    await waitFor(
      async () => (await db.run.count({ where: { id: { in: ids }, status: 'finished' } })) === ids.length,
      120_000,
      250,
    );
    const runs = await db.run.findMany({ where: { id: { in: ids } }, select: { workerId: true, claims: true } });
    expect(runs.every((r) => r.claims === 1)).toBe(true);
    const perWorker = new Map<string, number>();
    for (const r of runs) perWorker.set(r.workerId!, (perWorker.get(r.workerId!) ?? 0) + 1);
    expect(new Set(perWorker.keys())).toEqual(new Set(workers.map((w) => w.id)));
    for (const n of perWorker.values()) expect(n).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('a worker killed with SIGKILL mid-run leaves the run interrupted; the other sweeps its leftover', async () => {
    // The secret gets created, then its delete hangs: the run is stuck holding a leftover.
    hanging.addFault({ service: 'barbican', method: 'DELETE', path: '/v1/secrets/', action: { kind: 'hang' } });
    const id = await requestRun(webs[1].base, victimSlug, ['km-payload-roundtrip']);
    const prefix = (await waitFor(async () => (await db.run.findUnique({ where: { id } }))?.namePrefix))!;
    await waitFor(async () => hanging.liveSecrets().some((s) => s.name?.startsWith(prefix)), 30_000);
    const running = await db.run.findUniqueOrThrow({ where: { id } });
    expect(running.status).toBe('running');
    const victim = workers.find((w) => w.id === running.workerId)!;
    const survivor = workers.find((w) => w !== victim)!;
    victim.proc.kill('SIGKILL');
    const interrupted = await waitFor(async () => {
      const r = await db.run.findUnique({ where: { id } });
      return r?.status === 'interrupted' ? r : null;
    }, 60_000);
    expect(interrupted.error).toMatch(/heartbeat/);
    expect(hanging.liveSecrets().filter((s) => s.name?.startsWith(prefix))).toHaveLength(1);

    hanging.faults.clear();
    const next = await requestRun(webs[0].base, victimSlug, ['scs-0116-presence']);
    const done = await waitFor(async () => {
      const r = await db.run.findUnique({ where: { id: next } });
      return r?.status === 'finished' ? r : null;
    }, 60_000);
    expect(done.workerId).toBe(survivor.id);
    expect(hanging.liveSecrets().filter((s) => s.name?.startsWith(prefix))).toEqual([]);
    const swept = await db.run.findUniqueOrThrow({ where: { id } });
    expect(swept.sweptAt).not.toBeNull();
    expect(swept.sweptByRunId).toBe(next);
  }, 180_000);
});
