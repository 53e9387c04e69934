const noop = (): void => undefined;

/**
 * Runs jobs one at a time, in the order they were pushed. A job's failure reaches its caller only; the
 * jobs after it still run.
 */
export class WorkQueue {
  #tail: Promise<unknown> = Promise.resolve();

  push<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(job);
    this.#tail = next.then(noop, noop);
    return next;
  }

  /**
   * Resolves once the queue is idle: every job pushed before the call, and every job pushed while it
   * waited (a job may push more), has finished.
   */
  async settled(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
  }
}
