import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  StatementTimeoutError,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import {
  lostMongoWriteError,
  noWritesPerformed,
  partlyAppliedError,
  unknownCommitResultError,
} from './lost-write.js';
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

function commitExpired(labels: string[]): MongoServerError {
  return new MongoServerError({
    message: 'operation exceeded time limit',
    code: 50,
    codeName: 'MaxTimeMSExpired',
    errorLabels: labels,
  });
}

describe('unknownCommitResultError', () => {
  it('a sent commit whose error the driver labelled UnknownTransactionCommitResult is an unknown outcome, not a retryable timeout', () => {
    const mapped = mapMongoError(commitExpired(['UnknownTransactionCommitResult']));
    expect(mapped).toBeInstanceOf(StatementTimeoutError);
    const error = unknownCommitResultError(mapped, true);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    expect((error as Error).cause).toBe(mapped);
  });

  it('the label on the error itself counts as on its cause', () => {
    const raw = commitExpired(['UnknownTransactionCommitResult']);
    expect(unknownCommitResultError(raw, true)).toBeInstanceOf(CommitOutcomeUnknownError);
  });

  it('a commit never sent, an unlabelled error and an error already unknown stand', () => {
    const labelled = mapMongoError(commitExpired(['UnknownTransactionCommitResult']));
    expect(unknownCommitResultError(labelled, false)).toBe(labelled);
    const unlabelled = mapMongoError(commitExpired([]));
    expect(unknownCommitResultError(unlabelled, true)).toBe(unlabelled);
    const unknown = new CommitOutcomeUnknownError('lost');
    expect(unknownCommitResultError(unknown, true)).toBe(unknown);
  });
});

describe('partlyAppliedError', () => {
  it('a timed-out multi-document write outside a transaction may be partly applied: an unknown outcome', () => {
    const timeout = mapMongoError(commitExpired([]));
    const error = partlyAppliedError(timeout, 'an updateMany');
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as Error).message).toMatch(/^an updateMany outside a transaction .* partly applied/);
    expect((error as Error).cause).toBe(timeout);
  });

  it('other errors stand', () => {
    const lost = new ConnectionLostError('gone');
    expect(partlyAppliedError(lost, 'a deleteMany')).toBe(lost);
  });

  it('a document the server refused part way (validator, unique index) may leave the ones before it changed: an unknown outcome', () => {
    const refusals = [
      new MongoServerError({ message: 'Document failed validation', code: 121 }),
      new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }),
    ].map((raw) => mapMongoError(raw));
    expect(refusals[0]).toBeInstanceOf(ValidationError);
    expect(refusals[1]).toBeInstanceOf(UniqueViolationError);
    for (const refused of refusals) {
      const error = partlyAppliedError(refused, 'an updateMany');
      expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
      expect((error as Error).message).toMatch(
        /^an updateMany outside a transaction was refused at one document .* documents matched before the refused one may have been changed/,
      );
      expect((error as Error).cause).toBe(refused);
    }
  });

  it("berth's own input checks (raised before anything is sent, no driver cause) stand", () => {
    const input = new ValidationError('rank: not an integer', [{ field: 'rank', message: 'not an integer' }]);
    expect(partlyAppliedError(input, 'an updateMany')).toBe(input);
    const duplicate = new UniqueViolationError('tasks', ['title']);
    expect(partlyAppliedError(duplicate, 'an updateMany')).toBe(duplicate);
  });
});
