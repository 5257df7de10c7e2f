// `npm run worker`: a worker process without the web app, on any machine that reaches the same
// database (DATABASE_URL; without it, the embedded PostgreSQL under DATA_DIR is joined or started).
// WORKER_CONCURRENCY runs at once (default 8). SIGTERM/SIGINT stop it; runs it could not finish
// are marked interrupted by the heartbeat check of another worker and swept at their next run.
import './lib/source-maps';
import { connectDatabase } from '../lib/db/connect';
import { applyMigrations } from '../lib/db/migrate';
import { log } from './lib/log';
import { loadConfig } from '../lib/config';

// A bad setting stops here, naming the variable (lib/config.ts).
loadConfig();

const database = await connectDatabase();
let stopping = false;
let worker: { stop(): Promise<void> } | undefined;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('worker', `${signal}: stopping`);
  await worker?.stop().catch(() => {});
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  await database.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  log('worker', database.description);
  await applyMigrations(database.url);
  const { startWorker } = await import('../lib/jobs');
  const { defaultResolver } = await import('../lib/runs');
  worker = await startWorker({ resolver: defaultResolver, log: (l) => log('worker', l) });
} catch (err) {
  console.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`);
  await database.stop().catch(() => {});
  process.exit(1);
}
