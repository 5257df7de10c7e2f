// `npm start`: the whole dashboard in one process. Starts (or joins) the embedded PostgreSQL
// unless DATABASE_URL is set, applies migrations, makes sure an admin exists, builds the
// Next.js app when its sources changed, and serves it. SIGTERM/SIGINT stop it all cleanly.
import http from 'node:http';
import next from 'next';
import { connectDatabase } from '../lib/db/connect';
import { spawnSync } from 'node:child_process';
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from '../lib/auth/client-address';
import { ensureRuntimeSecrets } from './lib/secrets';
import { buildIfNeeded } from './lib/build';
import { log } from './lib/log';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 3000);
const trustProxy = process.env.TRUST_PROXY === 'true';
const publicUrl = process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL) : null;

const database = await connectDatabase((line) => { if (process.env.DEBUG_POSTGRES) log('postgres', line.trim()); });
let server: http.Server | undefined;
let worker: { stop(): Promise<void> } | undefined;
let stopping = false;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('start', `${signal}: stopping`);
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => { server?.closeAllConnections(); resolve(); }, 5000).unref();
  });
  await worker?.stop().catch(() => {});
  await (await import('../lib/jobs')).stopBoss().catch(() => {});
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  if (database.owned) log('start', 'stopping the embedded PostgreSQL');
  await database.stop();
  log('start', 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// `npm start` runs us under `sh -c`, which does not pass SIGTERM on: when npm is killed we are
// re-parented. Treat that as a stop request, so the app and its PostgreSQL never linger.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) void shutdown('parent process exited'); }, 500).unref();

try {
  log('start', database.description);
  ensureRuntimeSecrets();
  // Migrations, the vault check and the first admin, in a child process (see scripts/prepare.ts).
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare.ts'], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: database.url } });
  if (prepared.status !== 0) throw new Error('start-up preparation failed (reason above)');

  await buildIfNeeded();
  // Runs execute in this process unless WORKERS=off (then `npm run worker` elsewhere does it).
  // Started before serving, so the queue is set up as a supervising worker, not as a mere sender.
  if (process.env.WORKERS !== 'off') {
    const { startWorker } = await import('../lib/jobs');
    const { defaultResolver } = await import('../lib/runs');
    worker = await startWorker({ resolver: defaultResolver, log: (line) => log('worker', line) });
  }
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  server = http.createServer((req, res) => {
    req.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy) ?? '';
    // Next fills in X-Forwarded-Host with its own idea ("localhost") when absent, and Auth.js builds
    // OpenID Connect redirect URLs from it: state the address the client really used.
    if (publicUrl) {
      req.headers['x-forwarded-host'] = publicUrl.host;
      req.headers['x-forwarded-proto'] = publicUrl.protocol.replace(':', '');
    } else if (!trustProxy || !req.headers['x-forwarded-host']) {
      req.headers['x-forwarded-host'] = req.headers.host ?? `${host}:${port}`;
      req.headers['x-forwarded-proto'] = 'http';
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => { server!.once('error', reject); server!.listen(port, host, resolve); });
  log('start', `serving http://${host.includes(':') ? `[${host}]` : host}:${port}`);
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  await database.stop().catch(() => {});
  process.exit(1);
}
