import type { QueryEvent, QueryListener } from './query-event.js';

/** The part of a pino-compatible logger `logQueries` uses (pino, bunyan-style `debug(obj, msg)`). */
export interface QueryLogger {
  /** Logs `message` at debug level with `object`'s fields. */
  debug(object: object, message: string): void;
}

/**
 * A listener that logs each query event at debug level: the event's fields as the object (the error as
 * `err`, as pino serializes it), and `"<statement> (<duration> ms)"` as the message.
 */
export function queryLogListener(logger: QueryLogger): QueryListener {
  return (event: QueryEvent) => {
    const { error, ...fields } = event;
    const duration = Math.round(event.durationMs * 1000) / 1000;
    const message = `${error ? 'failed: ' : ''}${event.statement} (${duration} ms)`;
    logger.debug(error ? { ...fields, err: error } : fields, message);
  };
}
