// A worker process for tests and the benchmark: the real startWorker, with a resolver that reads
// cloud configurations (simulator credentials) from the JSON file named by RUNS_CONFIG_FILE,
// keyed by cloud slug, or "*" for every cloud. Started with `node --import tsx`.
import fs from 'node:fs';
import { startWorker } from '../../../lib/jobs';
import type { CloudConfig } from '../../../lib/checks/types';
import { NoCredentialError } from '../../../lib/runs';

const file = process.env.RUNS_CONFIG_FILE!;
let configs: Record<string, CloudConfig> | null = null;
const load = () => (configs ??= JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, CloudConfig>);

const worker = await startWorker({
  resolver: async (cloud) => {
    const c = load()[cloud.slug] ?? load()['*'];
    if (!c) throw new NoCredentialError();
    return c;
  },
  housekeeping: process.env.WORKER_HOUSEKEEPING === 'true',
  log: (l) => {
    if (process.env.WORKER_VERBOSE) console.log(`[worker-child ${process.pid}] ${l}`);
  },
});
process.send?.({ ready: true, id: worker.id });
console.log(`READY ${worker.id}`);
const stop = async () => {
  await worker.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
