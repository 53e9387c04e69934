import { fileURLToPath } from 'node:url';

/** Where this process loads berth from. */
export interface BerthOrigin {
  /** true: the TypeScript sources (`--conditions=@berth/source`, under tsx); false: the built `dist`. */
  readonly fromSource: boolean;
  /** The file `@berth/core` resolves to. */
  readonly coreEntry: string;
}

/**
 * Resolves `@berth/core` as this process's imports do. The bench measures the built packages (`pnpm bench`
 * builds them first): under tsx, berth's sources pay esbuild's `keepNames` wrappers on every function
 * (~10 µs per findById under load), which users of the published packages never run.
 */
export function berthOrigin(): BerthOrigin {
  const coreEntry = fileURLToPath(import.meta.resolve('@berth/core'));
  return { fromSource: !/[\\/]dist[\\/]/.test(coreEntry), coreEntry };
}

/**
 * The Node options a child process of the bench (B7's server and load generator, written in TypeScript)
 * needs to load berth from the same place as this process.
 */
export function childExecArgv(origin: BerthOrigin = berthOrigin()): string[] {
  return origin.fromSource ? ['--import', 'tsx', '--conditions=@berth/source'] : ['--import', 'tsx'];
}

/** A startup line saying which berth files this run measures. */
export function describeBerthOrigin(origin: BerthOrigin = berthOrigin()): string {
  return `berth from ${origin.fromSource ? 'its TypeScript sources' : 'the built packages'}: ${origin.coreEntry}`;
}
