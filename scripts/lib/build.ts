import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { log } from './log';

// What goes into the production build; a change to any of these triggers `next build` at start.
const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'prisma/schema.prisma',
  'next.config.mjs',
  'proxy.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const SKIP = /(^|\/)(node_modules|generated|\.next)(\/|$)|\.test\.tsx?$/;

function walk(p: string, out: string[]) {
  if (!fs.existsSync(p) || SKIP.test(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), out);
  else out.push(p);
}

export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const i of INPUTS) walk(path.join(root, i), files);
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex');
}

export async function buildIfNeeded(root = process.cwd()): Promise<void> {
  const marker = path.join(root, '.next', 'source-hash');
  const hash = sourceHash(root);
  const built =
    fs.existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    fs.existsSync(marker) &&
    fs.readFileSync(marker, 'utf8') === hash;
  if (built) return;
  log('start', 'building the app (first start or sources changed; takes a minute)');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed (output above)');
  fs.writeFileSync(marker, hash);
  log('start', `built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
