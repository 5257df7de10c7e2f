#!/usr/bin/env node
// km-check launcher: runs the CLI (lib/cli/main.ts) from its plain JavaScript bundle
// (dist/km-check.mjs, see scripts/bundles.mjs), rebuilt first when its sources changed, so the CLI
// executes exactly the check code the server runs and starts without compiling TypeScript.
import os from 'node:os';
import { freshBundles } from '../scripts/bundles.mjs';

const [bundle] = await freshBundles('km-check');
const { main } = await import(bundle);

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  home: os.homedir(),
  signal: controller.signal,
  readStdin: async () => {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  },
});
process.exitCode = code;
