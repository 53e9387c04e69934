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

  it('503 bodies carry a stable message, never the driver’s text or the database’s address', () => {
    const leaky = 'connect ECONNREFUSED 10.1.2.3:5432 (password authentication failed for user "app")';
    for (const error of [
      new ConnectionLostError(leaky),
      new StatementTimeoutError(leaky),
      new TransactionConflictError(leaky),
      new PoolClosedError(),
    ]) {
      const response = toErrorResponse(error, request());
      expect(response.status).toBe(503);
      expect(response.message).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|5432|password/);
      expect(response.message).toMatch(/nothing was written/);
    }
  });

  it('a commit outcome unknown without Idempotency-Key is a 500 OUTCOME_UNKNOWN, no Retry-After', () => {
    const response = toErrorResponse(new CommitOutcomeUnknownError(), request());
    expect(response).toMatchObject({ status: 500, code: 'OUTCOME_UNKNOWN' });
    expect(response.headers?.['retry-after']).toBeUndefined();
    expect(response.message).toMatch(/may or may not have been applied/);
    expect(response.message).toMatch(/read .* before retrying/);
  });

  it('a commit outcome unknown with an Idempotency-Key is a 503 whose message says the retry is safe', () => {
    const response = toErrorResponse(
      new CommitOutcomeUnknownError('lost: 10.0.0.1:5432'),
      request({ 'idempotency-key': 'k-1' }),
    );
    expect(response).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(response.headers?.['retry-after']).toBe('1');
    expect(response.message).toMatch(/retrying with the same Idempotency-Key is safe/);
    expect(response.message).not.toContain('10.0.0.1');
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
