import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  DatabaseError,
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
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './errors.js';

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as FastifyRequest;
const stats = { max: 1, total: 1, idle: 0, inUse: 1, waiting: 1 };

describe('toErrorResponse', () => {
  it('maps berth validation and lookup errors', () => {
    const validation = toErrorResponse(
      new ValidationError('bad', [{ field: 'salary', message: 'salary must be at least 0' }]),
      request(),
    );
    expect(validation).toMatchObject({ status: 400, code: 'VALIDATION', details: [{ field: 'salary' }] });
    expect(toErrorResponse(new NotFoundError('employees', 'x'), request())).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(toErrorResponse(new UniqueViolationError('employees', ['email']), request())).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      details: [{ field: 'email' }],
    });
  });

  it('an optimistic lock failure is a 412 under If-Match, a 409 without', () => {
    const error = new OptimisticLockError('employees', 'x', 1, 2);
    expect(toErrorResponse(error, request({ 'if-match': '"1"' })).status).toBe(412);
    expect(toErrorResponse(error, request()).status).toBe(409);
    expect(toErrorResponse(error, request({ 'if-match': '*' })).status).toBe(409);
  });

  it('transient database trouble is a 503 with Retry-After', () => {
    for (const error of [
      new PoolTimeoutError(2000, stats),
      new PoolClosedError(),
      new ConnectionLostError(),
      new StatementTimeoutError(),
      new TransactionConflictError(),
    ]) {
      const response = toErrorResponse(error, request());
      expect([error.name, response.status, response.code]).toEqual([error.name, 503, 'UNAVAILABLE']);
      expect(response.headers?.['retry-after']).toBe('1');
    }
  });

  it('a commit whose outcome is unknown is a 500 OUTCOME_UNKNOWN without Retry-After: a blind retry could apply it twice', () => {
    const response = toErrorResponse(new CommitOutcomeUnknownError(), request());
    expect(response).toMatchObject({ status: 500, code: 'OUTCOME_UNKNOWN' });
    expect(response.headers?.['retry-after']).toBeUndefined();
  });

  it('a deployment without transactions is a 501; anything unknown a 500', () => {
    expect(toErrorResponse(new TransactionsUnsupportedError(), request()).status).toBe(501);
    expect(toErrorResponse(new DatabaseError('boom'), request())).toMatchObject({
      status: 500,
      code: 'INTERNAL',
    });
    expect(toErrorResponse(new TypeError('bug'), request())).toMatchObject({
      status: 500,
      message: 'internal error',
    });
  });

  it('passes the app’s own errors through', () => {
    expect(toErrorResponse(new ApiError(409, 'CONFLICT', 'no'), request())).toMatchObject({ status: 409 });
  });
});
