const started = performance.now();

/** Progress on stderr, with the seconds since start, so stdout stays clean. */
export function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${s}s] ${message}\n`);
}
