/**
 * The client-side bound of one statement, for adapters: how long to wait for any answer from the server
 * before the connection is taken for lost (each adapter says how long, e.g. mysql's `statementBoundMs`).
 *
 * Adapters keep this timer themselves rather than use their driver's (mysql2's per-query `timeout`): a
 * timer and an answer that become due in the same stretch of a busy event loop are handled timers first,
 * so on a loaded machine mysql2's timeout fired while the server's own "statement timed out" error was
 * already waiting in the socket, and a statement the server had cancelled cleanly was reported as a lost
 * connection. Here, when the timer fires, the event loop is given one turn of I/O first; only a statement
 * still unanswered after that is called unanswered.
 */

/** The statement was not answered within its client-side bound. */
export class StatementBoundExceeded extends Error {
  /** The bound that passed unanswered, in milliseconds. */
  readonly boundMs: number;
  constructor(boundMs: number) {
    super(`no answer within ${boundMs} ms`);
    this.name = 'StatementBoundExceeded';
    this.boundMs = boundMs;
  }
}

/**
 * Settles as `work` does, or rejects with `StatementBoundExceeded` when `work` has not settled `boundMs`
 * after the call and one more turn of I/O. `work` is left running (its later outcome is ignored): the
 * caller must not use the connection again.
 */
export function withinStatementBound<T>(work: Promise<T>, boundMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      // setImmediate runs after the poll phase of this turn: an answer already received is handled first.
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new StatementBoundExceeded(boundMs));
      });
    }, boundMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(error);
      },
    );
  });
}
