import {
  BerthError,
  CommitOutcomeUnknownError,
  ConnectionLostError,
  ForeignKeyViolationError,
  NotFoundError,
  OptimisticLockError,
  PoolClosedError,
  PoolTimeoutError,
  StatementTimeoutError,
  TransactionConflictError,
  TransactionsUnsupportedError,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorDetail } from './api-error.js';
import { hasVersionPrecondition } from './etag.js';

/** Seconds a client is told to wait before retrying a 503: the pool or database is momentarily short. */
export const RETRY_AFTER_SECONDS = 1;

/** Fields the server owns; naming them in a body gets a message saying so rather than "unknown field". */
const SERVER_FIELDS = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/**
 * Errors that mean "the database could not serve this now", which a retry may fix, each with the stable
 * message a client gets. The error's own message may quote the driver or the database's host:port, so it
 * goes to the log only.
 */
const UNAVAILABLE: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, string]> = [
  [PoolTimeoutError, 'no database connection became free in time; nothing was written; retry later'],
  [PoolClosedError, 'the service is closing its database connections; nothing was written; retry later'],
  [ConnectionLostError, 'the database could not be reached; nothing was written; retry later'],
  [StatementTimeoutError, 'the database did not answer in time; nothing was written; retry later'],
  [
    TransactionConflictError,
    'the write collided with a concurrent one and was rolled back; nothing was written; retry',
  ],
];

/**
 * The status of a write whose commit outcome is unknown and that carried no `Idempotency-Key`: a 500, not a
 * 503, 502 or 504, because those invite an automatic retry (503 and 429 by definition, 502 and 504 are
 * retried by proxies and client libraries as transient upstream failures) and a blind retry may apply the
 * write twice. A 500 without `Retry-After` carries no retry hint; the code `OUTCOME_UNKNOWN` tells it apart
 * from a bug (`INTERNAL`).
 */
export const OUTCOME_UNKNOWN_STATUS = 500;

/** What one error is answered with. */
export interface ErrorResponse {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_DETAILS = 50;

function path(instancePath: string, member?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (member !== undefined) parts.push(member);
  return parts.join('.');
}

function detailOf(error: ErrorObject, context: string | undefined): ErrorDetail {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const name = String(params.additionalProperty);
    const field = path(error.instancePath, name);
    if (context === 'querystring') return { field, message: `${name} is not a known query parameter` };
    if (SERVER_FIELDS.has(name)) return { field, message: `${name} is set by the server` };
    return { field, message: `${name} is not a known field` };
  }
  if (error.keyword === 'required') {
    const field = path(error.instancePath, String(params.missingProperty));
    return { field, message: `${field} is required` };
  }
  const field = path(error.instancePath);
  const subject = field || (context === 'body' ? 'the body' : (context ?? 'the value'));
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).join(', ');
    return { field, message: `${subject} must be one of ${allowed}` };
  }
  return { field, message: `${subject} ${error.message ?? 'is invalid'}` };
}

function validationResponse(error: FastifyError): ErrorResponse {
  const errors = (error.validation ?? []) as ErrorObject[];
  const details = errors.slice(0, MAX_DETAILS).map((e) => detailOf(e, error.validationContext));
  // Drop the field when there is none (for example the body as a whole), so `details` stays tidy.
  const tidy = details.map((d) => (d.field ? d : { message: d.message }));
  return {
    status: 400,
    code: 'VALIDATION',
    message: tidy[0]?.message ?? 'invalid request',
    details: tidy,
  };
}

const STATUS_CODES: Record<number, string> = {
  400: 'VALIDATION',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  503: 'UNAVAILABLE',
};

function fastifyResponse(error: FastifyError): ErrorResponse | undefined {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the body is larger than 1 MiB' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'send the body as application/json',
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'VALIDATION', message: 'the body is empty; send a JSON document' };
  }
  // Malformed JSON arrives here as a SyntaxError with statusCode 400; its message says where it broke.
  const message = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : error.message;
  return { status, code: STATUS_CODES[status] ?? 'BAD_REQUEST', message };
}

/**
 * A commit whose outcome is unknown: with an `Idempotency-Key` the retry is safe (the key row commits or
 * rolls back with the write, so a retry either replays the first response or writes once), hence a 503
 * with `Retry-After`; without one it is the 500 `OUTCOME_UNKNOWN` (see `OUTCOME_UNKNOWN_STATUS`).
 */
function outcomeUnknownResponse(request: FastifyRequest): ErrorResponse {
  if (request.headers['idempotency-key'] !== undefined) {
    return {
      status: 503,
      code: 'UNAVAILABLE',
      message:
        'the database did not confirm the write (its connection was lost or it timed out); retrying with the same ' +
        'Idempotency-Key is safe: it replays the first response or writes once',
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  return {
    status: OUTCOME_UNKNOWN_STATUS,
    code: 'OUTCOME_UNKNOWN',
    message:
      'the database did not confirm the write (its connection was lost, it timed out, or it failed part way on ' +
      'a server without transactions): it may or may not have been applied, wholly or in part; read the ' +
      'resource before retrying, or send writes with an Idempotency-Key',
  };
}

function berthResponse(error: BerthError, request: FastifyRequest): ErrorResponse | undefined {
  if (error instanceof ValidationError) {
    const details = error.issues
      .slice(0, MAX_DETAILS)
      .map((i) => (i.field ? { ...i } : { message: i.message }));
    return { status: 400, code: 'VALIDATION', message: error.message, details };
  }
  if (error instanceof NotFoundError) return { status: 404, code: 'NOT_FOUND', message: error.message };
  if (error instanceof ForeignKeyViolationError) {
    // The only reference is employees.managerId: a user deleted between the check and the write.
    const field = error.relation ? `${error.relation}Id` : 'managerId';
    return {
      status: 400,
      code: 'VALIDATION',
      message: `${field} names no user`,
      details: [{ field, message: 'no such user' }],
    };
  }
  if (error instanceof UniqueViolationError) {
    const fields = error.fields.length > 0 ? error.fields : [];
    const details = fields.map((field) => ({ field, message: `${field} is already taken` }));
    const message =
      fields.length > 0 ? `${fields.join(', ')} already taken` : 'a unique value is already taken';
    return { status: 409, code: 'CONFLICT', message, details };
  }
  if (error instanceof OptimisticLockError) {
    // With If-Match the client stated a precondition that failed; without it two writers raced and this
    // one lost every retry, which is a conflict with the current state.
    return hasVersionPrecondition(request.headers['if-match'])
      ? { status: 412, code: 'PRECONDITION_FAILED', message: error.message }
      : { status: 409, code: 'CONFLICT', message: error.message };
  }
  if (error instanceof CommitOutcomeUnknownError) return outcomeUnknownResponse(request);
  const unavailable = UNAVAILABLE.find(([type]) => error instanceof type);
  if (unavailable) {
    return {
      status: 503,
      code: 'UNAVAILABLE',
      message: unavailable[1],
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof TransactionsUnsupportedError) {
    // A property of the deployment (a standalone MongoDB), not a passing state: retrying cannot help.
    return { status: 501, code: 'NOT_IMPLEMENTED', message: error.message };
  }
  return undefined;
}

/** Maps any error to its response. Whatever is not recognised is a 500: a bug, logged with its stack. */
export function toErrorResponse(error: unknown, request: FastifyRequest): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof BerthError) {
    const mapped = berthResponse(error, request);
    if (mapped) return mapped;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) return validationResponse(fastifyError);
  const mapped = typeof fastifyError?.statusCode === 'number' ? fastifyResponse(fastifyError) : undefined;
  if (mapped) return mapped;
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}

/** The app's error handler: the contract's error body, `Retry-After` on 503, a stack in the log on 500. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const response = toErrorResponse(error, request);
  if (response.code === 'OUTCOME_UNKNOWN' || error instanceof CommitOutcomeUnknownError) {
    request.log.error({ err: error }, 'commit outcome unknown');
  } else if (response.status >= 500 && response.status !== 503 && response.status !== 501) {
    request.log.error({ err: error }, 'request failed');
  } else if (response.status === 503) {
    request.log.warn({ err: error }, 'database unavailable');
  } else {
    request.log.info({ code: response.code, reason: response.message }, 'request refused');
  }
  if (response.headers) reply.headers(response.headers);
  const body: { code: string; message: string; details?: readonly ErrorDetail[] } = {
    code: response.code,
    message: response.message,
  };
  if (response.details && response.details.length > 0) body.details = response.details;
  return reply.code(response.status).type('application/json; charset=utf-8').send({ error: body });
}
