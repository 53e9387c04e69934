// The development start: `pnpm start` at the repository root runs `node apps/api/scripts/start-from-sources.mjs`.
//
// It runs the service from its TypeScript sources with nothing to build first: the sources of the service and
// of the workspace packages it uses are compiled once by esbuild into apps/api/node_modules/.cache/berth-start
// and recompiled only when one of them changes (source-bundle.mjs), so a later start loads a few modules
// instead of transpiling some 200 files. The service stays this one process, which the root script starts
// with `exec`: the SIGTERM or SIGINT that pnpm forwards reaches the service itself (a shell in between would
// die and leave the service running). `pnpm start:prod` builds and runs dist/ instead.
const started = performance.now();
// PGlite is PostgreSQL compiled to WebAssembly. V8 runs it first as baseline (Liftoff) code and recompiles
// each function that has run a while with its optimizing compiler; booting PostgreSQL runs enough code to
// set off hundreds of those recompilations, about half the CPU time of reopening the database, for code
// that the boot itself runs once. With a budget this large only code that stays hot for long (far beyond a
// start) is optimized. Process-wide, so set here, for the development start only: the adapter leaves the
// flags of the processes it runs in alone, and `pnpm start:prod` runs with V8's defaults.
const { setFlagsFromString } = await import('node:v8');
setFlagsFromString('--wasm-tiering-budget=2000000000');
const { ensureSourceBundle } = await import('./source-bundle.mjs');

let bundle;
try {
  bundle = await ensureSourceBundle({ log: (line) => process.stderr.write(`berth-api: ${line}\n`) });
} catch (error) {
  // esbuild's message names the file, line and column of what it could not compile.
  process.stderr.write(`berth-api: cannot compile the sources: ${error?.message ?? error}\n`);
  process.exit(1);
}
// Stack traces name the TypeScript files and lines, as they would under tsx.
process.setSourceMapsEnabled(true);
const { prepareStart } = await import(bundle.url('start-lines'));
prepareStart(process.env, process.cwd(), started);
await import(bundle.url('main'));
