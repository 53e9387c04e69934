/**
 * Any thrown value as an `Error`: a driver or a user callback may throw a string or a plain object, and
 * berth's errors, events and hooks carry an `Error` (with a message and a stack) wherever one travels.
 */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * `promise`, or a rejection with `message` (`timed out after <ms> ms` by default) once `ms` milliseconds have passed, whichever
 * comes first; the timer is cleared either way so it never holds the process open. The promise itself is
 * not cancelled: the caller decides what to do with what it was waiting for (the pool destroys a
 * connection whose rollback or ping did not answer in time).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message = `timed out after ${Math.round(ms)} ms`,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
