#!/usr/bin/env node
// km-check launcher: registers tsx and runs the TypeScript CLI (lib/cli/main.ts), so the CLI
// executes exactly the check code the server runs, with no separate build.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../lib/cli/main.ts');

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
