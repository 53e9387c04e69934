/** A promise with its settle functions exposed: a gate a test opens when it chooses. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  /** True once `resolve` or `reject` has been called. */
  readonly settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve(value) {
      settled = true;
      resolve(value);
    },
    reject(error) {
      settled = true;
      reject(error);
    },
    get settled() {
      return settled;
    },
  };
}

/** Tracks whether a promise has settled yet, without changing its outcome. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  // The caller awaits `tracked`; this keeps an early rejection from being reported as unhandled meanwhile.
  tracked.catch(() => undefined);
  return {
    promise: tracked,
    get settled() {
      return settled;
    },
  };
}
