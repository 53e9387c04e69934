/**
 * Which copies of `@berth/core` this process has loaded, kept on `globalThis` under a `Symbol.for` key so
 * every copy sees the same record. Two copies happen when an adapter resolves a core of its own (an
 * out-of-range version, a package manager that did not dedupe): each copy then has its own error classes
 * and its own defaults, which is confusing at best, so `Database.open` warns once.
 */
const KEY = Symbol.for('berth.core.copies');

interface CopyRegistry {
  readonly urls: Set<string>;
  warned: boolean;
}

function registry(): CopyRegistry {
  const store = globalThis as { [KEY]?: CopyRegistry };
  store[KEY] ??= { urls: new Set(), warned: false };
  return store[KEY];
}

/** Records a copy of core by the URL of its module. */
export function registerCoreCopy(url: string): void {
  registry().urls.add(url);
}

/** Forgets a copy (for tests that simulate one). */
export function unregisterCoreCopy(url: string): void {
  registry().urls.delete(url);
}

/** The module URLs of the copies loaded so far. */
export function coreCopies(): readonly string[] {
  return [...registry().urls];
}

/**
 * Emits one process warning (code `BERTH_DUPLICATE_CORE`) the first time it finds more than one copy
 * loaded. Returns true when it warned.
 */
export function warnOnDuplicateCore(): boolean {
  const copies = registry();
  if (copies.urls.size < 2 || copies.warned) return false;
  copies.warned = true;
  process.emitWarning(
    `${copies.urls.size} copies of @berth/core are loaded (${[...copies.urls].join(', ')}). ` +
      'Adapters take @berth/core as a peer dependency: install one version of @berth/core beside your adapters ' +
      '(npm ls @berth/core shows where the copies come from). Error checks still work across copies through ' +
      'BerthError.is(error) and error.code.',
    { code: 'BERTH_DUPLICATE_CORE' },
  );
  return true;
}
