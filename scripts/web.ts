// The web process: the Next.js app (and, unless WORKERS=off, the run worker), started by
// scripts/start.ts, which owns the public port and hands requests to us over a Unix socket in a
// private (0700) directory. The client address and forwarding headers count only with the front's
// per-boot proof (SCS_FRONT_SECRET; proxy.ts drops them otherwise). We report a heartbeat over IPC
// every second; when the front goes away, we stop.
import './lib/source-maps';
import http from 'node:http';
import next from 'next';
import { closeServer } from './lib/close-server';
import { log } from './lib/log';
import { loadConfig } from '../lib/config';

const cfg = loadConfig();
const socketPath = cfg.WEB_SOCKET;
if (!socketPath || !process.send || !cfg.SCS_FRONT_SECRET) {
  console.error('web: start me through scripts/start.ts (needs WEB_SOCKET, SCS_FRONT_SECRET and an IPC channel)');
  process.exit(2);
}
const host = cfg.HOST;
const port = cfg.PORT;
let server: http.Server | undefined;
let worker: { stop(): Promise<void> } | undefined;
let stopping = false;

async function shutdown(reason: string) {
  if (stopping) return;
  stopping = true;
  log('web', `${reason}: stopping`);
  await closeServer(server);
  await worker?.stop().catch(() => {});
  await (await import('../lib/jobs')).stopBoss().catch(() => {});
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Ctrl-C reaches the whole process group; the front decides when we stop.
process.on('SIGINT', () => {});
process.on('disconnect', () => void shutdown('front process gone'));

try {
  // Runs execute in this process unless WORKERS=off (then `npm run worker` elsewhere does it).
  // Started before serving, so the queue is set up as a supervising worker, not as a mere sender.
  if (cfg.WORKERS !== 'off') {
    const { startWorker } = await import('../lib/jobs');
    const { defaultResolver } = await import('../lib/runs');
    worker = await startWorker({ resolver: defaultResolver, log: (line) => log('worker', line) });
  }
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  server = http.createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(socketPath, resolve);
  });
  process.send({ type: 'ready' });
  // The front's /api/health reports the web process as responding while these arrive.
  setInterval(() => process.send?.({ type: 'heartbeat' }), 1000).unref();
} catch (err) {
  console.error(`web failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
