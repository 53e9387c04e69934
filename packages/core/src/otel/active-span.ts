import { type Attributes, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/**
 * Runs `run` inside an active INTERNAL span `name` (so the statements it sends become its children), ending
 * it with status ERROR, `error.type` (berth's error code, else the error's name) and the exception when
 * `run` throws, which it rethrows. The shared body of the transaction and flush spans. `common` is set
 * again as the span ends: the system's name may be learnt during it (the first connection of a MySQL
 * adapter, which tells MariaDB from MySQL, can be the one this span's work opens).
 */
export function inActiveSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  common: () => Attributes,
  run: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      span.setAttribute('error.type', typeof code === 'string' ? code : (error as Error).name);
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error).message) });
      throw error;
    } finally {
      span.setAttributes(common());
      span.end();
    }
  });
}
