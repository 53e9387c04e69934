import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  StatementTimeoutError,
  UniqueViolationError,
} from '@berth/core';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { lostMongoWriteError, noWritesPerformed } from './lost-write.js';
import { mapMongoError } from './map-mongo-error.js';

const stats = { max: 2, total: 2, idle: 0, inUse: 2, waiting: 0 };
const pool = () => ({ stats, waitQueueTimeoutMs: 300 });

function waitQueueTimeout(): Error {
  const error = new Error('Timed out while checking out a connection from connection pool');
  Object.defineProperty(error, 'name', { value: 'MongoWaitQueueTimeoutError' });
  return error;
}

function shutdown(labels: string[]): MongoServerError {
  return new MongoServerError({ message: 'shutting down', code: 91, errorLabels: labels });
}

describe('lostMongoWriteError', () => {
  it('a write none of whose attempts was sent keeps its error, whatever it is: retrying is safe', () => {
    for (const cause of [
      new MongoServerSelectionError('no server', {} as never),
      new MongoNetworkError('connection refused'),
      waitQueueTimeout(),
    ]) {
      const error = mapMongoError(cause, { pool });
      expect(lostMongoWriteError(error, 'an insert', false), cause.name).toBe(error);
    }
  });

  it('a write that was sent, failing with an error that says nothing reached a server, is an unknown outcome', () => {
    // The retry's server selection, a retry's socket, a lost reply, a retry that found no free socket, an
    // operation given up on at its bound (no driver cause).
    for (const error of [
      mapMongoError(new MongoServerSelectionError('no server', {} as never)),
      mapMongoError(new MongoNetworkError('connection reset')),
      mapMongoError(waitQueueTimeout(), { pool }),
      new ConnectionLostError('the MongoDB server did not answer within 1100 ms'),
    ]) {
      expect((error as { retryable?: boolean }).retryable, error.message).toBe(true);
      const lost = lostMongoWriteError(error, 'an insert', true);
      expect(lost, error.message).toBeInstanceOf(CommitOutcomeUnknownError);
      expect((lost as CommitOutcomeUnknownError).retryable).toBe(false);
      expect((lost as CommitOutcomeUnknownError).cause).toBe(error);
      expect((lost as Error).message).toContain('an insert');
    }
  });

  it('NoWritesPerformed on the error the driver threw is the server word for every attempt: the connection is lost, nothing written', () => {
    const error = mapMongoError(shutdown(['RetryableWriteError', 'NoWritesPerformed']));
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(noWritesPerformed(error.cause)).toBe(true);
    expect(lostMongoWriteError(error, 'an update', true)).toBe(error);
    // Without the label, a node stepping down under a sent write may have applied it.
    const unlabelled = mapMongoError(shutdown(['RetryableWriteError']));
    expect(lostMongoWriteError(unlabelled, 'an update', true)).toBeInstanceOf(CommitOutcomeUnknownError);
  });

  it("the server's definite answers stand", () => {
    for (const error of [
      new UniqueViolationError('items', ['sku']),
      new StatementTimeoutError('time limit'),
      new TypeError('a bug'),
    ]) {
      expect(lostMongoWriteError(error, 'an insert', true)).toBe(error);
    }
  });
});
