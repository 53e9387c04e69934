/** One problem with the request: which field or parameter, and what is wrong with it. */
export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
}

/**
 * An error the service itself decides to answer with (a malformed `If-Match`, a raise that would break the
 * salary ceiling). Errors from berth and Fastify are mapped in `errors.ts` instead.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
