// The development start: `pnpm start` at the repository root runs `node apps/api/scripts/start-from-sources.mjs`.
//
// It runs the service from its TypeScript sources with nothing to build first: the sources of the service and
// of the workspace packages it uses are compiled once by esbuild into apps/api/node_modules/.cache/berth-start
// and recompiled only when one of them changes (source-bundle.mjs), so a later start loads a few modules
// instead of transpiling some 200 files. The service stays this one process, which the root script starts
// with `exec`: the SIGTERM or SIGINT that pnpm forwards reaches the service itself (a shell in between would
// die and leave the service running). `pnpm start:prod` builds and runs dist/ instead.
const started = performance.now();
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
