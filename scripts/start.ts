// `npm start`: the whole dashboard. Starts (or joins) the embedded PostgreSQL unless DATABASE_URL is
// set, prepares the database (child process scripts/prepare.ts), builds the Next.js app when its
// sources changed, starts the web process (scripts/web.ts: the app and, unless WORKERS=off, the run
// worker) and serves the public port from this front process (scripts/lib/front.ts), which answers
// /api/health itself and passes everything else on. SIGTERM/SIGINT stop it all cleanly; a web
// process that dies is restarted (at most 5 times a minute).
import './lib/source-maps';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type http from 'node:http';
import pg from 'pg';
import { connectDatabase } from '../lib/db/connect';
import { ensureRuntimeSecrets } from './lib/secrets';
import { buildIfNeeded } from './lib/build';
import { createFront, watchDatabase } from './lib/front';
import { coalescer, createPublicCache } from './lib/public-cache';
import { badgeAnswer, storedBadge } from '../lib/compliance/badge';
import { now } from '../lib/clock';
import { closeServer } from './lib/close-server';
import { log } from './lib/log';
import { loadConfig } from '../lib/config';
import { poolTimeouts } from '../lib/db/pool';

// A bad setting stops the start here, naming the variable (lib/config.ts).
const cfg = loadConfig();
const host = cfg.HOST;
const port = cfg.PORT;
// Proves to the web process that a request came through this front (lib/auth/client-address.ts);
// made anew at every boot and known only to the two processes.
const frontSecret = crypto.randomBytes(32).toString('base64url');

const database = await connectDatabase((line) => {
  if (cfg.DEBUG_POSTGRES) log('postgres', line.trim());
});
// The web process's socket lives in a directory only we can enter.
const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-web-'));
const socketPath = path.join(socketDir, 'web.sock');
// Health checks get a connection of their own, so a burst of badge lookups cannot delay them; both
// give up quickly (a badge then goes to the app, the health check reports the database unreachable).
const poolOptions = {
  ...poolTimeouts(),
  connectionString: database.url,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 2000,
  statement_timeout: 2000,
  query_timeout: 2500,
};
const healthPool = new pg.Pool({ ...poolOptions, max: 1 });
const pool = new pg.Pool({ ...poolOptions, max: 4 });
// The database probe: gives up after 1 s, so a database that stopped answering is noticed within
// about 2 s and every page and API request gets a clear 503 (scripts/lib/front.ts).
const probePool = new pg.Pool({ ...poolOptions, max: 1, connectionTimeoutMillis: 1000, query_timeout: 1000 });
for (const p of [healthPool, pool, probePool]) p.on('error', () => {});
const databaseWatch = watchDatabase(() => probePool.query('SELECT 1'));
let server: http.Server | undefined;
let web: ChildProcess | undefined;
let lastHeartbeat: number | null = null;
let stopping = false;
const restarts: number[] = [];

// Run as its bundle (npm start: dist/server/start.mjs, see scripts/bundles.mjs), the web process is the
// bundle beside it; run from source under tsx (tests, development), it is the source, and fork passes
// tsx on to it with our execArgv.
const webScript = import.meta.url.endsWith('.mjs')
  ? fileURLToPath(new URL('./web.mjs', import.meta.url))
  : 'scripts/web.ts';

function startWeb(): Promise<void> {
  fs.rmSync(socketPath, { force: true });
  const child = fork(webScript, [], {
    env: { ...process.env, DATABASE_URL: database.url, WEB_SOCKET: socketPath, SCS_FRONT_SECRET: frontSecret },
    stdio: 'inherit',
  });
  web = child;
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') {
        lastHeartbeat = Date.now();
        resolve();
      }
      if (m?.type === 'heartbeat') lastHeartbeat = Date.now();
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`the web process exited (${signal ?? code}) before it was ready`));
      if (stopping || web !== child) return;
      lastHeartbeat = null;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
      if (restarts.length > 5) {
        log('start', 'the web process keeps dying: giving up');
        void shutdown('web process failing', 1);
        return;
      }
      log('start', `the web process exited (${signal ?? code}); restarting it`);
      setTimeout(() => {
        if (!stopping) startWeb().catch((e) => log('start', e.message));
      }, 1000);
    });
  });
}

async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log('start', `${reason}: stopping`);
  await closeServer(server);
  if (web && web.exitCode === null && web.signalCode === null) {
    const exited = new Promise((r) => web!.once('exit', r));
    web.kill('SIGTERM');
    const timer = setTimeout(() => web?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  databaseWatch.stop();
  await Promise.all([pool.end(), healthPool.end(), probePool.end()]).catch(() => {});
  fs.rmSync(socketDir, { recursive: true, force: true });
  if (database.owned) log('start', 'stopping the embedded PostgreSQL');
  await database.stop();
  log('start', 'stopped');
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// `npm start` runs us under `sh -c`, which does not pass SIGTERM on: when npm is killed we are
// re-parented. Treat that as a stop request, so the app and its PostgreSQL never linger.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('parent process exited');
}, 500).unref();

const badgeLookups = coalescer<Awaited<ReturnType<typeof storedBadge>>>();

try {
  log('start', database.description);
  ensureRuntimeSecrets();
  // Migrations, the vault check and the first admin, in a child process (see scripts/prepare.ts).
  // From source under tsx, also under npm start: a migration's data step (prisma/migrations/*/before.ts)
  // is TypeScript loaded at run time, and the process ends once prepared, so tsx costs it nothing later.
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare.ts'], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: database.url },
  });
  if (prepared.status !== 0) throw new Error('start-up preparation failed (reason above)');
  await buildIfNeeded();
  await startWeb();
  server = createFront({
    socketPath,
    host,
    port,
    trustProxy: cfg.TRUST_PROXY,
    publicUrl: cfg.PUBLIC_URL ? new URL(cfg.PUBLIC_URL) : null,
    frontSecret,
    database: databaseWatch,
    query: async (sql) => (await healthPool.query(sql)).rows,
    heartbeatAge: () => (lastHeartbeat === null ? null : Date.now() - lastHeartbeat),
    badge: async (slug) => {
      // Lookups of one badge arriving while one runs share the next (never an older one).
      const s = await badgeLookups(slug, () =>
        storedBadge(async (sql, params) => (await pool.query(sql, params)).rows, slug, now()),
      );
      return s === 'stale' ? null : badgeAnswer(s === 'not-found' ? null : s);
    },
    publicCache: (render) =>
      createPublicCache({ query: async (sql, params) => (await pool.query(sql, params)).rows, now, render }),
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(port, host, resolve);
  });
  log('start', `serving http://${host.includes(':') ? `[${host}]` : host}:${port}`);
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  stopping = true;
  if (web && web.exitCode === null && web.signalCode === null) {
    const exited = new Promise((r) => web!.once('exit', r));
    web.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  fs.rmSync(socketDir, { recursive: true, force: true });
  await database.stop().catch(() => {});
  process.exit(1);
}
