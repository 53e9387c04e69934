// Resolve hook: when `@berth/postgres`, `@berth/mysql` or `@berth/mongodb` cannot be resolved from the
// importer, resolve it from the adapter's own folder in the workspace (a package may import itself by its
// name), so the app runs the workspace's adapter exactly as if it were installed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ADAPTERS = new Set(['@berth/postgres', '@berth/mysql', '@berth/mongodb']);
const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

function packageFolder(name) {
  for (const entry of readdirSync(PACKAGES)) {
    const manifest = `${PACKAGES}${entry}/package.json`;
    if (!existsSync(manifest)) continue;
    try {
      if (JSON.parse(readFileSync(manifest, 'utf8')).name === name) return manifest;
    } catch {
      // not a package
    }
  }
  return undefined;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!ADAPTERS.has(specifier)) throw error;
    const manifest = packageFolder(specifier);
    if (!manifest) throw error;
    return nextResolve(specifier, { ...context, parentURL: pathToFileURL(manifest).href });
  }
}
