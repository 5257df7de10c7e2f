// `npm run bench:scale`: 1,000 clouds at the OpenStack simulator (every answer delayed 50 ms),
// one run each, through the real path: POST /api/v1/clouds/{slug}/runs on a web process (Next.js,
// WORKERS=off), pg-boss in PostgreSQL, and a separate worker process (default concurrency 8).
// Prints total wall time, runs/s, p95 queue delay, peak RSS of the web and worker processes,
// and the ratio to ideal (1,000 x single-run time / concurrency), the single-run time measured
// first in the same invocation on the same processes.
//
// Options: --clouds N (1000), --concurrency N (8; or WORKER_CONCURRENCY), --latency MS (50),
// --all-checks (every check instead of the two official testcases), --sims N (simulators, 50),
// --no-web (enqueue through lib/jobs directly instead of the HTTP API; no web process),
// --port N (3690), --web-heap MB (cap the web process's V8 old space). Needs a built app (`npm start` builds it) unless
// --no-web.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OpenStackSimulator, simulatorCloud } from '../lab/simulator';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { OFFICIAL_TESTCASE_IDS } from '../lib/checks';
import { peakRssMb, rssMb, webProcessPid } from './lib';
import type { CloudConfig } from '../lib/checks/types';

const { values: args } = parseArgs({
  options: {
    clouds: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: process.env.WORKER_CONCURRENCY || '8' },
    latency: { type: 'string', default: '50' },
    sims: { type: 'string', default: '50' },
    'all-checks': { type: 'boolean', default: false },
    'no-web': { type: 'boolean', default: false },
    port: { type: 'string', default: '3690' },
    singles: { type: 'string', default: '5' },
    // V8 old-space cap (MB) of the web and worker processes; default: what `npm start` and
    // `npm run worker` use (NODE_HEAP_MB, else 320).
    'web-heap': { type: 'string', default: process.env.NODE_HEAP_MB || '320' },
  },
});
const N = Number(args.clouds);
const CONCURRENCY = Number(args.concurrency);
const LATENCY = Number(args.latency);
const SIMS = Math.min(Number(args.sims), N);
const PORT = Number(args.port);
const testcases = args['all-checks'] ? [] : [...OFFICIAL_TESTCASE_IDS];
const useWeb = !args['no-web'];
const webHeapMb = Number(args['web-heap']);

const t = () => new Date().toISOString().slice(11, 23);
const say = (m: string) => console.log(`${t()} ${m}`);

function p(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
}

function child(name: string, argv: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  // Our bundles (scripts/server.mjs) run as they are; TypeScript sources under tsx.
  const loader = argv[0].endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const proc = spawn(process.execPath, [...loader, ...argv], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${out.slice(-2000)}`)), 240_000);
    const onData = (d: Buffer) => {
      out += String(d);
      if (process.env.BENCH_VERBOSE) process.stdout.write(`[${name}] ${d}`);
      if (ready.test(out)) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        proc.once('exit', (code, signal) => {
          if (!stopping) console.error(`${t()} ${name} exited early (${signal ?? code}):\n${out.slice(-3000)}`);
        });
        resolve(proc);
      }
      if (out.length > 100_000) out = out.slice(-20_000);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
}

let stopping = false;

async function stopChild(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-bench-'));
fs.chmodSync(tmp, 0o755);
const sims: OpenStackSimulator[] = [];
let web: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let stopDb: (() => Promise<void>) | undefined;

async function main() {
  say(
    `scale benchmark: ${N} clouds, concurrency ${CONCURRENCY}, ${LATENCY} ms per answer, ${testcases.length ? testcases.join(' + ') : 'all checks'}, ${SIMS} simulators, ${useWeb ? 'via the web API' : 'enqueued directly'}, web and worker heap capped at ${webHeapMb} MB as \`npm start\`/\`npm run worker\` do; ${os.cpus().length} cores`,
  );
  const database = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbeddedDatabase({ dataDir: path.join(tmp, 'data') });
  stopDb = database.stop;
  process.env.DATABASE_URL = database.url;
  await applyMigrations(database.url);

  for (let i = 0; i < SIMS; i++) {
    const sim = await new OpenStackSimulator({ policy: 'creator' }).start();
    if (LATENCY > 0) {
      sim.addFault({ service: 'keystone', action: { kind: 'latency', ms: LATENCY } });
      sim.addFault({ service: 'barbican', action: { kind: 'latency', ms: LATENCY } });
    }
    sims.push(sim);
  }
  const { db } = await import('../lib/db');
  const org = await db.organization.create({ data: { slug: `bench-${Date.now()}`, name: 'Benchmark' } });
  const configs: Record<string, CloudConfig> = {};
  const slugs: string[] = [];
  for (let i = 0; i <= N; i++) slugs.push(`bench-${i}`);
  await db.cloud.createMany({
    data: slugs.map((slug) => ({ slug, name: slug, organizationId: org.id, schedule: 'off' as const })),
  });
  slugs.forEach((slug, i) => {
    configs[slug] = simulatorCloud(sims[i % SIMS]!, 'member', {
      timeouts: { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 },
    });
  });
  const configFile = path.join(tmp, 'configs.json');
  fs.writeFileSync(configFile, JSON.stringify(configs), { mode: 0o600 });

  const { systemActor } = await import('../lib/auth/policy');
  let enqueueOne: (slug: string) => Promise<string>;
  if (useWeb) {
    const { createToken } = await import('../lib/tokens');
    const admin = await db.user.create({ data: { email: `bench-${Date.now()}@bench.invalid`, role: 'admin' } });
    const { token } = await createToken({ actor: systemActor('bench'), clientAddress: null }, admin.id, {
      name: 'bench',
      days: 1,
    });
    web = await child(
      'web',
      ['scripts/server.mjs', 'start'],
      {
        PORT: String(PORT),
        HOST: '127.0.0.1',
        WORKERS: 'off',
        DATABASE_URL: database.url,
        DATA_DIR: path.join(tmp, 'web'),
        AUTH_SECRET: 'bench-auth-secret-bench-auth-secret',
        AUTH_URL: `http://127.0.0.1:${PORT}`,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${webHeapMb}`.trim(),
      },
      /serving http/,
    );
    const base = `http://127.0.0.1:${PORT}`;
    enqueueOne = async (slug) => {
      const res = await fetch(`${base}/api/v1/clouds/${slug}/runs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ testcases }),
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`POST runs for ${slug}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    };
  } else {
    const { requestRun } = await import('../lib/jobs');
    const ctx = { actor: systemActor('bench'), clientAddress: null };
    enqueueOne = async (slug) => (await requestRun(ctx, { slug }, { trigger: 'api', testcases })).run.id;
  }
  worker = await child(
    'worker',
    ['tests/integration/support/worker-child.ts'],
    {
      RUNS_CONFIG_FILE: configFile,
      WORKER_CONCURRENCY: String(CONCURRENCY),
      DATABASE_URL: database.url,
      WORKER_HOUSEKEEPING: 'false',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${webHeapMb}`.trim(),
    },
    /READY /,
  );

  const waitDone = async (ids: string[], timeoutMs: number) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const open = await db.run.count({ where: { id: { in: ids }, status: { in: ['queued', 'running'] } } });
      if (open === 0) return;
      if (Date.now() > end) throw new Error(`${open} run(s) still open after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  // Single-run time: a few runs one after another on the idle system (cloud bench-0).
  const singles: number[] = [];
  for (let i = 0; i < Number(args.singles); i++) {
    const id = await enqueueOne(slugs[0]!);
    await waitDone([id], 120_000);
    const r = await db.run.findUniqueOrThrow({ where: { id } });
    singles.push(r.finishedAt!.getTime() - r.startedAt!.getTime());
  }
  const single = singles.slice(1).length
    ? singles.slice(1).reduce((a, b) => a + b, 0) / singles.slice(1).length
    : singles[0]!;
  say(`single run: ${single.toFixed(0)} ms (mean of runs 2..${singles.length}; all: ${singles.join(', ')} ms)`);

  const webPid = webProcessPid(web?.pid);
  const before = {
    front: rssMb(web?.pid),
    web: rssMb(webPid),
    worker: rssMb(worker?.pid),
    webPeak: peakRssMb(webPid),
    workerPeak: peakRssMb(worker?.pid),
  };
  // The load: one run per cloud, requested as fast as the API answers.
  const t0 = Date.now();
  const ids: string[] = [];
  const targets = slugs.slice(1);
  const lanes = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < targets.length) {
        const slug = targets[next++]!;
        ids.push(await enqueueOne(slug));
      }
    }),
  );
  const enqueuedMs = Date.now() - t0;
  say(`enqueued ${ids.length} runs in ${enqueuedMs} ms`);
  await waitDone(ids, 30 * 60_000);
  const runs = await db.run.findMany({
    where: { id: { in: ids } },
    include: { results: { select: { verdict: true } } },
  });
  const lastFinish = Math.max(...runs.map((r) => r.finishedAt?.getTime() ?? 0));
  const wall = lastFinish - t0;
  const queueDelays = runs.map((r) => (r.startedAt?.getTime() ?? NaN) - r.queuedAt.getTime());
  const execTimes = runs.map((r) => (r.finishedAt?.getTime() ?? NaN) - (r.startedAt?.getTime() ?? NaN));
  const statuses = new Map<string, number>();
  for (const r of runs) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const verdicts = { PASS: 0, FAIL: 0, ABORT: 0 };
  for (const r of runs) for (const x of r.results) verdicts[x.verdict]++;
  const claimsOk = runs.every((r) => r.claims === 1);
  // Errors: runs that did not finish, checks that reached no verdict (ABORT), runs claimed twice.
  // FAIL verdicts are answers, not errors (km-tls FAILs on the simulator's plain http by design).
  const errors =
    runs.length - (statuses.get('finished') ?? 0) + verdicts.ABORT + runs.filter((r) => r.claims !== 1).length;
  const ideal = (ids.length * single) / CONCURRENCY;
  const webRss = peakRssMb(webPid);
  const frontRss = peakRssMb(web?.pid);
  const workerRss = peakRssMb(worker?.pid);

  console.log('');
  console.log(
    `runs                 ${ids.length} (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}); results ${verdicts.PASS} PASS, ${verdicts.FAIL} FAIL, ${verdicts.ABORT} ABORT; each claimed once: ${claimsOk ? 'yes' : 'NO'}`,
  );
  console.log(`total wall time      ${(wall / 1000).toFixed(1)} s (first request to last run finished)`);
  console.log(`runs per second      ${(ids.length / (wall / 1000)).toFixed(1)}`);
  console.log(
    `queue delay          p50 ${(p(queueDelays, 0.5) / 1000).toFixed(1)} s, p95 ${(p(queueDelays, 0.95) / 1000).toFixed(1)} s (queued -> started; all runs are queued at once, so this is mostly waiting for a free slot)`,
  );
  console.log(
    `run time under load  p50 ${p(execTimes, 0.5)} ms, p95 ${p(execTimes, 0.95)} ms (single run alone: ${single.toFixed(0)} ms)`,
  );
  console.log(
    `peak RSS             web ${webRss ?? 'n/a'} MB (front process ${frontRss ?? 'n/a'} MB), worker ${workerRss ?? 'n/a'} MB (before the load: RSS web ${before.web ?? 'n/a'} MB, worker ${before.worker ?? 'n/a'} MB; peak so far web ${before.webPeak ?? 'n/a'}, worker ${before.workerPeak ?? 'n/a'} MB)`,
  );
  console.log(
    `ideal                ${(ideal / 1000).toFixed(1)} s = ${ids.length} x ${single.toFixed(0)} ms / ${CONCURRENCY}`,
  );
  console.log(`ratio to ideal       ${(wall / ideal).toFixed(2)}`);
  console.log(`errors               ${errors}`);
  const results = {
    at: new Date().toISOString(),
    clouds: ids.length,
    concurrency: CONCURRENCY,
    latencyMs: LATENCY,
    testcases: testcases.length ? testcases : 'all',
    web: useWeb,
    webHeapMb,
    cores: os.cpus().length,
    singleRunMs: single,
    wallMs: wall,
    runsPerSecond: ids.length / (wall / 1000),
    queueDelayP95Ms: p(queueDelays, 0.95),
    peakRssMb: { web: webRss, front: frontRss, worker: workerRss },
    ratioToIdeal: wall / ideal,
    errors,
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/scale-${Date.now()}.json`, JSON.stringify(results, null, 2));
  await db.$disconnect();
}

try {
  await main();
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
} finally {
  stopping = true;
  await stopChild(worker);
  await stopChild(web);
  const { stopBoss } = await import('../lib/jobs');
  await stopBoss();
  for (const s of sims) await s.stop();
  await stopDb?.().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}
