// km-check as one plain JavaScript file (dist/km-check.mjs), bundled by esbuild from lib/cli/main.ts:
// the CLI starts without compiling TypeScript. Built by `npm ci`/`npm install` (postinstall) and by
// `node scripts/build-cli.mjs`; bin/km-check.mjs calls freshBundle() at every start, which rebuilds
// first when any source the bundle was made from changed since (size or mtime of each input, and
// package-lock.json), so a stale bundle is never run. Plain JavaScript itself, so it needs no tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(ROOT, 'dist', 'km-check.mjs');
const INPUTS = path.join(ROOT, 'dist', 'km-check.inputs.json');
const ENTRY = 'lib/cli/main.ts';

function stamp(file) {
  try {
    const st = fs.statSync(path.join(ROOT, file));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Whether the bundle is missing or was made from sources that changed since. */
export function bundleIsStale() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(INPUTS, 'utf8'));
  } catch {
    return true;
  }
  if (!fs.existsSync(BUNDLE)) return true;
  return Object.entries(recorded).some(([file, s]) => stamp(file) !== s);
}

export async function buildBundle() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    // Some bundled CommonJS packages call require(): give the ES module one.
    banner: {
      js: "import { createRequire as __kmRequire } from 'node:module'; const require = __kmRequire(import.meta.url);",
    },
  });
  const files = [...Object.keys(result.metafile.inputs), 'package-lock.json', 'scripts/build-cli.mjs'];
  fs.writeFileSync(INPUTS, JSON.stringify(Object.fromEntries(files.map((f) => [f, stamp(f)])), null, 1));
}

/** The bundle's path, rebuilt first when stale. */
export async function freshBundle() {
  if (bundleIsStale()) await buildBundle();
  return BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBundle();
