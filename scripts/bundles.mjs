// Our Node entry points as plain JavaScript, bundled by esbuild, so that nothing compiles TypeScript
// when they start:
// - km-check: dist/km-check.mjs from lib/cli/main.ts, every package inside (the CLI starts at once);
// - the server processes: dist/server/{start,web,worker}.mjs from scripts/*.ts, packages left
//   in node_modules (Next.js, Prisma's runtime, pg). Run without tsx, each process is ~25 MB smaller:
//   tsx's loader hooks and their thread stay out.
// Built by `npm ci`/`npm install` (postinstall) and by `node scripts/bundles.mjs`. freshBundles() runs
// before every start (bin/km-check.mjs, scripts/server.mjs) and rebuilds first when any source a
// bundle was made from changed since (size or mtime of each input, and package-lock.json), so a stale
// bundle is never run. Each file is written beside its place and renamed into it, so that processes
// starting at the same moment never read half a bundle. Plain JavaScript itself, so it needs no tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** name -> source entry, output file and whether packages are bundled. */
export const BUNDLES = {
  'km-check': { entry: 'lib/cli/main.ts', out: 'dist/km-check.mjs', packages: 'bundle' },
  start: { entry: 'scripts/start.ts', out: 'dist/server/start.mjs', packages: 'external' },
  web: { entry: 'scripts/web.ts', out: 'dist/server/web.mjs', packages: 'external' },
  worker: { entry: 'scripts/worker.ts', out: 'dist/server/worker.mjs', packages: 'external' },
};

const outOf = (name) => path.join(ROOT, BUNDLES[name].out);
const inputsOf = (name) => outOf(name).replace(/\.mjs$/, '.inputs.json');

function stamp(file) {
  try {
    const st = fs.statSync(path.join(ROOT, file));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Whether the bundle is missing or was made from sources that changed since. */
export function bundleIsStale(name) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputsOf(name), 'utf8'));
  } catch {
    return true;
  }
  if (!fs.existsSync(outOf(name))) return true;
  return Object.entries(recorded).some(([file, s]) => stamp(file) !== s);
}

function writeAtomically(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

export async function buildBundle(name) {
  const b = BUNDLES[name];
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [b.entry],
    outfile: outOf(name),
    write: false,
    bundle: true,
    packages: b.packages,
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
  for (const f of result.outputFiles) writeAtomically(f.path, f.contents);
  const files = [...Object.keys(result.metafile.inputs), 'package-lock.json', 'scripts/bundles.mjs'];
  writeAtomically(inputsOf(name), JSON.stringify(Object.fromEntries(files.map((f) => [f, stamp(f)])), null, 1));
}

/** The bundles' paths (in the order asked), each rebuilt first when stale. */
export async function freshBundles(...names) {
  for (const name of names) if (bundleIsStale(name)) await buildBundle(name);
  return names.map(outOf);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  for (const name of Object.keys(BUNDLES)) await buildBundle(name);
