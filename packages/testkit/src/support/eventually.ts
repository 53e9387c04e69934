/**
 * Polls `check` until it returns true, failing after `timeoutMs`. For server-side counters that settle a
 * moment after the client has finished (a terminated backend leaving `pg_stat_activity`), never as a way
 * to wait for the code under test.
 */
export async function eventually(
  check: () => Promise<boolean>,
  describe: () => Promise<string> | string,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline)
      throw new Error(`still not true after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the wall clock has passed `time`, so a later timestamp is strictly greater. */
export async function clockPast(time: Date): Promise<void> {
  while (Date.now() <= time.getTime()) await new Promise((resolve) => setTimeout(resolve, 1));
}
