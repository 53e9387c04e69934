/**
 * The adapters the service can open, each imported only when a DATABASE_URL of its scheme is used. The
 * imports are written out (not `import(name)`) so a bundler sees them: the development start compiles each
 * adapter into a chunk of its own that shares the one copy of the core (scripts/source-bundle.mjs).
 */
const ADAPTERS: Readonly<Record<string, () => Promise<unknown>>> = {
  '@berth/postgres': () => import('@berth/postgres'),
  '@berth/mysql': () => import('@berth/mysql'),
  '@berth/mongodb': () => import('@berth/mongodb'),
  '@berth/pglite': () => import('@berth/pglite'),
};

/**
 * `connect()`'s `importAdapter` for the service: one of the adapters above, or any other package imported
 * from the service's own folder, where its dependencies are installed.
 */
export function importAdapter(packageName: string): Promise<unknown> {
  const load = Object.hasOwn(ADAPTERS, packageName) ? ADAPTERS[packageName] : undefined;
  return load ? load() : import(packageName);
}
