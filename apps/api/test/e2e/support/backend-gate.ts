/**
 * Decides what to do when a backend's server cannot be reached. Under CI (`CI=true`) the run must fail:
 * the servers are part of CI's machine, and a silent skip would hide a whole backend. Elsewhere the suite
 * is skipped with a line nobody can miss.
 */
export function unreachable(backend: string, url: string, error: unknown): boolean {
  const reason = error instanceof Error ? error.message : String(error);
  if (process.env.CI === 'true') {
    throw new Error(`${backend} is not reachable at ${url} (${reason}); CI needs it`);
  }
  console.warn(
    `\n!!!!!!!! apps/api e2e on ${backend} SKIPPED: ${url} is not reachable (${reason}) !!!!!!!!\n`,
  );
  return true;
}
