import {
  ConnectionLostError,
  DatabaseError,
  PoolTimeoutError,
  StatementTimeoutError,
  TransactionConflictError,
  TransactionsUnsupportedError,
  UniqueViolationError,
  ValidationError,
  defineEntity,
  field,
} from '@berth/core';
import {
  MongoBulkWriteError,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { mapMongoError, unwrapBulkWriteError } from './map-mongo-error.js';

const User = defineEntity(
  'users',
  { id: field.id(), email: field.string().unique(), team: field.string(), name: field.string() },
  { indexes: [{ fields: ['team', 'name'], unique: true }] },
);

function serverError(fields: Record<string, unknown>): MongoServerError {
  return new MongoServerError({ message: String(fields.errmsg ?? 'failed'), ...fields });
}

describe('mapMongoError', () => {
  it('E11000 names the fields of the violated index, by index name or key pattern', () => {
    const byName = mapMongoError(
      serverError({
        code: 11000,
        errmsg:
          'E11000 duplicate key error collection: db.users index: users_team_name_key dup key: { team: "a", name: "b" }',
      }),
      { entity: User },
    );
    expect(byName).toBeInstanceOf(UniqueViolationError);
    expect(byName).toMatchObject({ entity: 'users', fields: ['team', 'name'] });
    const byPattern = mapMongoError(
      serverError({ code: 11000, errmsg: 'E11000 duplicate key', keyPattern: { email: 1 } }),
      {
        entity: User,
      },
    );
    expect(byPattern).toMatchObject({ fields: ['email'] });
    const onId = mapMongoError(
      serverError({ code: 11000, errmsg: 'E11000 dup index: _id_ dup key: { _id: "x" }' }),
      { entity: User },
    );
    expect(onId).toMatchObject({ fields: ['id'] });
    const inBulk = Object.assign(serverError({ code: 11000, errmsg: 'bulk' }), {
      writeErrors: [
        { err: { code: 11000, errmsg: 'E11000 index: users_email_key dup key: { email: "x" }' } },
      ],
    });
    expect(mapMongoError(inBulk, { entity: User })).toMatchObject({ fields: ['email'] });
  });

  it('network, selection and stepdown errors are ConnectionLostError, before the transient label', () => {
    const network = new MongoNetworkError('socket closed');
    network.addErrorLabel('TransientTransactionError');
    expect(mapMongoError(network)).toBeInstanceOf(ConnectionLostError);
    expect(mapMongoError(new MongoServerSelectionError('no server', {} as never))).toBeInstanceOf(
      ConnectionLostError,
    );
    expect(mapMongoError(serverError({ code: 91, errmsg: 'shutting down' }))).toBeInstanceOf(
      ConnectionLostError,
    );
    expect(mapMongoError(serverError({ code: 10107, errmsg: 'not primary' }))).toBeInstanceOf(
      ConnectionLostError,
    );
  });

  it('raw Node socket errors, bare or wrapped (mongodb 7.9 rethrows them on a write after drain), are ConnectionLostError', () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });
    const reset = Object.assign(new Error('write ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'write',
    });
    expect(mapMongoError(epipe)).toBeInstanceOf(ConnectionLostError);
    expect(mapMongoError(reset)).toBeInstanceOf(ConnectionLostError);
    const bulk = Object.assign(new Error('bulk write failed'), {
      name: 'MongoBulkWriteError',
      errorResponse: reset,
    });
    expect(mapMongoError(bulk)).toBeInstanceOf(ConnectionLostError);
    expect(mapMongoError(new Error('outer', { cause: epipe }))).toBeInstanceOf(ConnectionLostError);
    // A string code that is not a socket failure stays a DatabaseError.
    expect(mapMongoError(Object.assign(new Error('odd'), { code: 'EINVAL' }))).toBeInstanceOf(DatabaseError);
  });

  it('MaxTimeMSExpired is StatementTimeoutError; conflicts are TransactionConflictError', () => {
    expect(mapMongoError(serverError({ code: 50, errmsg: 'operation exceeded time limit' }))).toBeInstanceOf(
      StatementTimeoutError,
    );
    expect(mapMongoError(serverError({ code: 112, errmsg: 'WriteConflict' }))).toBeInstanceOf(
      TransactionConflictError,
    );
    expect(mapMongoError(serverError({ code: 251, errmsg: 'NoSuchTransaction' }))).toBeInstanceOf(
      TransactionConflictError,
    );
    const labelled = serverError({ code: 8000, errmsg: 'whatever' });
    labelled.addErrorLabel('TransientTransactionError');
    expect(mapMongoError(labelled)).toBeInstanceOf(TransactionConflictError);
  });

  it('a standalone refusal is TransactionsUnsupportedError', () => {
    expect(
      mapMongoError(
        serverError({
          code: 20,
          errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
        }),
      ),
    ).toBeInstanceOf(TransactionsUnsupportedError);
  });

  it.each(['MongoWaitQueueTimeoutError', 'WaitQueueTimeoutError'])(
    'the driver wait-queue timeout (%s) is PoolTimeoutError with the driver pool state',
    (name) => {
      const error = Object.assign(
        new Error('Timed out while checking out a connection from connection pool'),
        {
          name,
        },
      );
      const stats = { max: 2, total: 2, idle: 0, inUse: 2, waiting: 0 };
      const mapped = mapMongoError(error, { pool: () => ({ stats, waitQueueTimeoutMs: 150 }) });
      expect(mapped).toBeInstanceOf(PoolTimeoutError);
      expect(mapped).toMatchObject({ waitedMs: 150, stats });
    },
  );

  it("an insert's bulk-write wrapper is classified by the driver error it carries", () => {
    // What `insertMany` throws when no socket came free within waitQueueTimeoutMS (mongodb 7.9): a
    // MongoBulkWriteError whose errorResponse is the wait-queue error, its fields copied onto the wrapper.
    // (The driver does not export its class; like it, this one names itself with a getter.)
    class WaitQueueTimeout extends MongoError {
      override get name() {
        return 'MongoWaitQueueTimeoutError';
      }
    }
    const waitQueue = new WaitQueueTimeout('Timed out while checking out a connection from connection pool');
    const wrapped = new MongoBulkWriteError(waitQueue, {} as never);
    expect(wrapped.name).toBe('MongoBulkWriteError');
    expect(unwrapBulkWriteError(wrapped)).toBe(waitQueue);
    const stats = { max: 4, total: 4, idle: 0, inUse: 4, waiting: 0 };
    const mapped = mapMongoError(wrapped, { pool: () => ({ stats, waitQueueTimeoutMs: 300 }) });
    expect(mapped).toBeInstanceOf(PoolTimeoutError);
    expect(mapped).toMatchObject({ waitedMs: 300, stats });

    const selection = new MongoServerSelectionError('no server', {} as never);
    const lost = mapMongoError(new MongoBulkWriteError(selection, {} as never));
    expect(lost).toBeInstanceOf(ConnectionLostError);
    // The driver's own error is the cause, so what reads it (lost-write.ts) sees what happened.
    expect(lost.cause).toBe(selection);
    expect(
      mapMongoError(new MongoBulkWriteError(serverError({ code: 50, errmsg: 'time limit' }), {} as never)),
    ).toBeInstanceOf(StatementTimeoutError);

    // Write errors are the server's answer: the wrapper is kept and read as before.
    const duplicate = new MongoBulkWriteError(
      {
        message: 'E11000',
        code: 11000,
        writeErrors: [{ code: 11000, errmsg: 'E11000 index: users_email_key dup key' }] as never,
      },
      {} as never,
    );
    expect(unwrapBulkWriteError(duplicate)).toBe(duplicate);
    expect(mapMongoError(duplicate, { entity: User })).toMatchObject({ fields: ['email'] });
  });

  it('berth errors pass through; anything else is DatabaseError with the code', () => {
    const validation = new ValidationError('bad');
    expect(mapMongoError(validation)).toBe(validation);
    const other = mapMongoError(serverError({ code: 2, codeName: 'BadValue', errmsg: 'bad value' }));
    expect(other).toBeInstanceOf(DatabaseError);
    expect(other).toMatchObject({ driverCode: 2 });
    expect(mapMongoError('text')).toBeInstanceOf(DatabaseError);
  });
});
