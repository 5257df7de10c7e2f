// A run worker for the end-to-end tests that is the production one: the real startWorker with the
// vault's resolver, so a run decrypts the credential a user saved in the browser (the same KEK
// file under DATA_DIR as the app). Scheduled housekeeping stays off, so only requested runs run.
// Started with `node --import tsx`; prints READY when it takes jobs.
import { startWorker } from '../../lib/jobs';
import { defaultResolver } from '../../lib/runs/cloud-config';

const worker = await startWorker({ resolver: defaultResolver, housekeeping: false, log: () => {} });
console.log(`READY ${worker.id}`);
const stop = async () => {
  await worker.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
