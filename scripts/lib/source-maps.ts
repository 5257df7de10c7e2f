// Imported first by the long-running processes (front, web, worker). tsx turns on Node's source-map
// support for every module it loads; in these processes that keeps the parsed maps of every module
// loaded, Next.js's server chunks among them (measured: 227 -> 167 MB RSS of an idle web process,
// and less CPU at every module load). `next start` runs without it too. Stack traces then point into
// the compiled files; start with `node --enable-source-maps` to keep the TypeScript positions.
if (!process.execArgv.includes('--enable-source-maps')) process.setSourceMapsEnabled(false);
