/**
 * The base of every error berth raises. Adapters convert their driver's errors into these classes, so
 * application code handles failures the same way on every backend.
 */
export abstract class BerthError extends Error {
  /** A stable, machine-readable code, for example `UNIQUE_VIOLATION`. */
  abstract readonly code: string;
  /** True when the same operation may succeed if simply tried again (a pool timeout, a lost connection). */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
