// The compiled form of the service's TypeScript sources that `pnpm start` runs (see start-from-sources.mjs).
//
// Loading some 200 TypeScript files through a loader hook costs 1 to 1.5 s of every start on a 2-core machine
// (each import crosses to the loader's thread and back). Instead the sources of the service and of the
// workspace packages it uses are bundled once by esbuild into a few ES modules, and rebuilt only when one of
// them changed (same size and modification time as at the last build: no rebuild). npm dependencies stay
// imports, resolved from apps/api/node_modules at run time, as in production. The adapters are separate
// chunks loaded when their URL scheme is used, and the core is one chunk that they share: one copy of it.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The service's folder, apps/api. */
export const API_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Where the compiled sources live: below node_modules, so git and the tools ignore them; npm imports resolve. */
export const DEFAULT_OUT_DIR = join(API_DIR, 'node_modules', '.cache', 'berth-start');

/** The modules a start loads, by output name. */
export const ENTRY_POINTS = { main: 'src/main.ts', 'start-lines': 'scripts/start-lines.ts' };

/** Changes when the build options below change, so an older build is not reused. */
const BUILD_FORMAT = 1;

/** Whether every file of the last build still has the size and modification time it had then. */
async function upToDate(manifest, apiDir) {
  if (manifest?.format !== BUILD_FORMAT || manifest.apiDir !== apiDir) return false;
  const checks = Object.entries(manifest.inputs).map(async ([file, [size, mtimeMs]]) => {
    const now = await stat(join(apiDir, file)).catch(() => undefined);
    return now !== undefined && now.size === size && now.mtimeMs === mtimeMs;
  });
  return (await Promise.all(checks)).every(Boolean);
}

/** The last build's record of its inputs, or undefined when there is none or it cannot be read. */
async function readManifest(outDir) {
  try {
    return JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Bundles the sources into `outDir` unless the build there is up to date. `log` receives one line before a
 * build and one after it. Resolves with whether it built, how many source files the build covers, and the
 * file URL of each entry point's module.
 *
 * A build is written to a folder of its own and moved into place with its manifest inside, so a start that
 * is interrupted (or two that run at once) never leaves a half-written build that looks complete.
 *
 * @param {{ apiDir?: string, outDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ built: boolean, files: number, url: (entry: keyof typeof ENTRY_POINTS) => string }>}
 */
export async function ensureSourceBundle({
  apiDir = API_DIR,
  outDir = DEFAULT_OUT_DIR,
  log = () => {},
} = {}) {
  const url = (entry) => pathToFileURL(join(outDir, `${entry}.mjs`)).href;
  const manifest = await readManifest(outDir);
  if (await upToDate(manifest, apiDir)) {
    return { built: false, files: Object.keys(manifest.inputs).length, url };
  }
  log(
    manifest === undefined
      ? 'compiling the TypeScript sources (first start; later starts reuse the result)'
      : 'recompiling the TypeScript sources (some changed since the last start)',
  );
  const began = performance.now();
  // Loaded only here: a start with an up-to-date build does not need esbuild at all.
  const esbuild = await import('esbuild');
  const building = `${outDir}.${process.pid}.tmp`;
  await rm(building, { recursive: true, force: true });
  const result = await esbuild
    .build({
      absWorkingDir: apiDir,
      entryPoints: ENTRY_POINTS,
      outdir: building,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      metafile: true,
      logLevel: 'silent',
      // Workspace packages resolve to their TypeScript sources, as with tsx.
      conditions: ['@berth/source'],
      plugins: [
        {
          name: 'npm-packages-stay-imports',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@berth/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    })
    .catch(async (error) => {
      await rm(building, { recursive: true, force: true });
      throw error;
    });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const { size, mtimeMs } = await stat(join(apiDir, file));
    inputs[file] = [size, mtimeMs];
  }
  await writeFile(
    join(building, 'manifest.json'),
    JSON.stringify({ format: BUILD_FORMAT, apiDir, inputs }, null, 1),
  );
  await mkdir(join(outDir, '..'), { recursive: true });
  await rm(outDir, { recursive: true, force: true });
  await rename(building, outDir);
  const files = Object.keys(inputs).length;
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  log(`compiled ${files} files in ${seconds} s into ${relative(process.cwd(), outDir) || outDir}`);
  return { built: true, files, url };
}
