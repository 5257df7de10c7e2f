// `npm start` and `npm run worker`: runs scripts/start.ts or scripts/worker.ts from its plain
// JavaScript bundle (scripts/bundles.mjs), rebuilt first when its sources changed. `start` also
// freshens the bundle of its web process, which it runs as the bundle beside it.
import { pathToFileURL } from 'node:url';
import { freshBundles } from './bundles.mjs';

const CHILDREN = { start: ['start', 'web'], worker: ['worker'] };
const entry = process.argv[2];
if (!CHILDREN[entry]) {
  console.error('usage: node scripts/server.mjs start|worker');
  process.exit(2);
}
const [main] = await freshBundles(...CHILDREN[entry]);
await import(pathToFileURL(main).href);
