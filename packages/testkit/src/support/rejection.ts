import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: error classes take differing constructor arguments
type ErrorClass<T extends Error> = abstract new (...args: any[]) => T;

/**
 * Awaits `work`, asserts it rejected with an instance of `type`, and returns the error for further checks.
 * Accepts a function so that synchronous throws are caught too.
 */
export async function rejection<T extends Error>(
  work: Promise<unknown> | (() => unknown),
  type: ErrorClass<T>,
): Promise<T> {
  let error: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${type.name}`).toBeInstanceOf(type);
  return error as T;
}
