import { describe, expect, expectTypeOf, it } from 'vitest';
import { AdapterNotInstalledError } from './adapter-not-installed-error.js';
import { DriverNotInstalledError } from './driver-not-installed-error.js';
import { ConcurrentFlushError } from './concurrent-flush-error.js';
import { BerthError } from './berth-error.js';
import { ConnectionLostError } from './connection-lost-error.js';
import { ConnectionReleasedTwiceError } from './connection-released-twice-error.js';
import { DatabaseError } from './database-error.js';
import { InvalidAdapterError } from './invalid-adapter-error.js';
import { NotFoundError } from './not-found-error.js';
import { OptimisticLockError } from './optimistic-lock-error.js';
import { PoolClosedError } from './pool-closed-error.js';
import { PoolTimeoutError } from './pool-timeout-error.js';
import { StatementTimeoutError } from './statement-timeout-error.js';
import { TransactionConflictError } from './transaction-conflict-error.js';
import { TransactionEndedError } from './transaction-ended-error.js';
import { TransactionRollbackOnlyError } from './transaction-rollback-only-error.js';
import { TransactionsUnsupportedError } from './transactions-unsupported-error.js';
import { UniqueViolationError } from './unique-violation-error.js';
import { ForeignKeyViolationError } from './foreign-key-violation-error.js';
import { ValidationError } from './validation-error.js';
import { TlsError } from './tls-error.js';

const STATS = { max: 10, total: 10, idle: 0, inUse: 10, waiting: 4 };

const cases: [string, () => BerthError, string, boolean, string][] = [
  [
    'AdapterNotInstalledError',
    () => new AdapterNotInstalledError('mysql', '@berth/mysql', 'mysql2'),
    'ADAPTER_NOT_INSTALLED',
    false,
    'the "mysql" backend needs the @berth/mysql package: install it with "npm install @berth/mysql mysql2"',
  ],
  [
    'DriverNotInstalledError',
    () => new DriverNotInstalledError('mysql', '@berth/mysql', 'mysql2'),
    'DRIVER_NOT_INSTALLED',
    false,
    'the "mysql" backend\'s adapter @berth/mysql needs its driver mysql2, which is not installed: install it with "npm install mysql2"',
  ],
  [
    'ConcurrentFlushError',
    () => new ConcurrentFlushError(),
    'CONCURRENT_FLUSH',
    false,
    'flush() was called while an earlier flush of this unit of work is still running: await that flush first; nothing was written by this call and the pending changes are kept',
  ],
  [
    'ConnectionLostError',
    () => new ConnectionLostError(),
    'CONNECTION_LOST',
    true,
    'the database connection was lost',
  ],
  [
    'DatabaseError',
    () => new DatabaseError('syntax error', '42601'),
    'DATABASE_ERROR',
    false,
    'syntax error',
  ],
  [
    'NotFoundError',
    () => new NotFoundError('employees', 'abc'),
    'NOT_FOUND',
    false,
    'employees "abc" not found',
  ],
  [
    'OptimisticLockError',
    () => new OptimisticLockError('employees', 'abc', 3),
    'OPTIMISTIC_LOCK',
    false,
    'employees "abc" was changed concurrently (expected version 3)',
  ],
  ['PoolClosedError', () => new PoolClosedError(), 'POOL_CLOSED', false, 'the pool is closed'],
  [
    'PoolTimeoutError',
    () => new PoolTimeoutError(5000, STATS),
    'POOL_TIMEOUT',
    true,
    'no connection available within 5000 ms (pool: max 10, total 10, idle 0, in use 10, waiting 4)',
  ],
  [
    'StatementTimeoutError',
    () => new StatementTimeoutError(),
    'STATEMENT_TIMEOUT',
    true,
    'the statement was cancelled at the statement timeout',
  ],
  [
    'TransactionConflictError',
    () => new TransactionConflictError(),
    'TRANSACTION_CONFLICT',
    true,
    'the transaction was aborted by a concurrent conflict',
  ],
  [
    'TransactionsUnsupportedError',
    () => new TransactionsUnsupportedError(),
    'TRANSACTIONS_UNSUPPORTED',
    false,
    'this database deployment does not support transactions; nothing was written',
  ],
  [
    'UniqueViolationError',
    () => new UniqueViolationError('employees', ['email']),
    'UNIQUE_VIOLATION',
    false,
    'duplicate value for unique field email of employees',
  ],
  ['ValidationError', () => new ValidationError('bad input'), 'VALIDATION', false, 'bad input'],
  [
    'ForeignKeyViolationError',
    () => new ForeignKeyViolationError('lines', 'order', 'lines_orderId_fkey'),
    'FOREIGN_KEY_VIOLATION',
    false,
    'foreign key violation on relation lines.order',
  ],
  [
    'ConnectionReleasedTwiceError',
    () => new ConnectionReleasedTwiceError(),
    'CONNECTION_RELEASED_TWICE',
    false,
    'connection released twice',
  ],
  [
    'InvalidAdapterError',
    () => new InvalidAdapterError('@berth/mysql'),
    'INVALID_ADAPTER',
    false,
    '@berth/mysql does not export a berth adapter',
  ],
  [
    'TransactionEndedError',
    () => new TransactionEndedError(),
    'TRANSACTION_ENDED',
    false,
    'the transaction has already ended (or is ending); nothing was sent',
  ],
  [
    'TransactionRollbackOnlyError',
    () => new TransactionRollbackOnlyError(new Error('inner')),
    'TRANSACTION_ROLLBACK_ONLY',
    false,
    'a nested transaction failed and could not be undone alone, so the transaction was rolled back; nothing of it was written',
  ],
  [
    'TlsError',
    () => new TlsError('host-name-mismatch', 'the certificate is not for 127.0.0.2'),
    'TLS',
    false,
    'the certificate is not for 127.0.0.2',
  ],
];

describe.each(cases)('%s', (name, make, code, retryable, message) => {
  it('has its code, retryable flag, name and message', () => {
    const error = make();
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('is an Error and a BerthError with a stack', () => {
    const error = make();
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(BerthError);
    expect(error.constructor.name).toBe(name);
    expect(error.stack).toContain(name);
    expect(String(error)).toBe(`${name}: ${message}`);
  });
});

describe('error details', () => {
  it('codes are distinct', () => {
    const codes = cases.map(([, make]) => make().code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('PoolTimeoutError includes the stats, the last connection error and a reason', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const error = new PoolTimeoutError(250, { max: 4, total: 0, idle: 0, inUse: 0, waiting: 7 }, cause);
    expect(error.message).toBe(
      'no connection available within 250 ms (pool: max 4, total 0, idle 0, in use 0, waiting 7); ' +
        'last connection error: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(error.cause).toBe(cause);
    expect(error.lastConnectionError).toBe(cause);
    expect(error.waitedMs).toBe(250);
    expect(error.stats).toEqual({ max: 4, total: 0, idle: 0, inUse: 0, waiting: 7 });
    const reasoned = new PoolTimeoutError(10, STATS, undefined, 'the queue is full');
    expect(reasoned.message).toMatch(/^the queue is full within 10 ms \(pool: max 10/);
    expect(reasoned.cause).toBeUndefined();
  });

  it('OptimisticLockError names the versions it knows', () => {
    expect(new OptimisticLockError('e', 'i', 3, 5).message).toBe('e "i": expected version 3, found 5');
    expect(new OptimisticLockError('e', 'i', undefined).message).toBe('e "i" was changed concurrently');
    expect(new OptimisticLockError('e', 'i', undefined, 5).message).toBe('e "i" was changed concurrently');
    const error = new OptimisticLockError('e', 'i', 3, 5);
    expect([error.entity, error.id, error.expectedVersion, error.actualVersion]).toEqual(['e', 'i', 3, 5]);
  });

  it('NotFoundError quotes the id', () => {
    const error = new NotFoundError('employees', 'a"b');
    expect(error.message).toBe('employees "a\\"b" not found');
    expect([error.entity, error.id]).toEqual(['employees', 'a"b']);
  });

  it('UniqueViolationError says what it knows of the fields and the entity', () => {
    expect(new UniqueViolationError('e', ['a', 'b']).message).toBe(
      'duplicate value for unique fields a, b of e',
    );
    expect(new UniqueViolationError(undefined, ['a']).message).toBe('duplicate value for unique field a');
    expect(new UniqueViolationError('e', []).message).toBe('duplicate value for a unique field of e');
    expect(new UniqueViolationError(undefined, []).message).toBe('duplicate value for a unique field');
    const cause = new Error('dup');
    const error = new UniqueViolationError('e', ['a'], { cause });
    expect(error.cause).toBe(cause);
    expect(error.fields).toEqual(['a']);
    expect(error.entity).toBe('e');
  });

  it('ValidationError carries its issues, empty by default', () => {
    expect(new ValidationError('x').issues).toEqual([]);
    const issues = [{ field: 'name', message: 'name is required' }];
    expect(new ValidationError('x', issues).issues).toEqual(issues);
  });

  it('DatabaseError keeps the driver code and cause', () => {
    const cause = new Error('driver');
    const error = new DatabaseError('failed', 1062, { cause });
    expect(error.driverCode).toBe(1062);
    expect(error.cause).toBe(cause);
    expect(new DatabaseError('failed').driverCode).toBeUndefined();
  });

  it('retryable errors accept a custom message and a cause', () => {
    const cause = new Error('ECONNRESET');
    for (const Ctor of [ConnectionLostError, StatementTimeoutError, TransactionConflictError]) {
      const error = new Ctor('custom', { cause });
      expect(error.message).toBe('custom');
      expect(error.cause).toBe(cause);
    }
  });

  it('TransactionRollbackOnlyError keeps the nested failure as cause, and is retryable when that was', () => {
    const inner = new TransactionConflictError();
    const error = new TransactionRollbackOnlyError(inner);
    expect(error.cause).toBe(inner);
    expect(error.retryable).toBe(true);
    expect(new TransactionRollbackOnlyError(new Error('app')).retryable).toBe(false);
    expect(new TransactionRollbackOnlyError().cause).toBeUndefined();
  });

  it('the transaction errors have literal codes to switch on', () => {
    expectTypeOf(new TransactionEndedError().code).toEqualTypeOf<'TRANSACTION_ENDED'>();
    expectTypeOf(new TransactionRollbackOnlyError().code).toEqualTypeOf<'TRANSACTION_ROLLBACK_ONLY'>();
    expectTypeOf(new ConnectionReleasedTwiceError().code).toEqualTypeOf<'CONNECTION_RELEASED_TWICE'>();
    expectTypeOf(new InvalidAdapterError('p').code).toEqualTypeOf<'INVALID_ADAPTER'>();
    expectTypeOf(new DriverNotInstalledError('s', 'p', 'd').code).toEqualTypeOf<'DRIVER_NOT_INSTALLED'>();
    expectTypeOf(new ConcurrentFlushError().code).toEqualTypeOf<'CONCURRENT_FLUSH'>();
    expectTypeOf<TransactionEndedError>().toMatchTypeOf<BerthError>();
    const ended = new TransactionEndedError();
    // @ts-expect-error the code is read-only
    ended.code = 'OTHER';
  });

  it('AdapterNotInstalledError works without a driver package', () => {
    expect(new AdapterNotInstalledError('pglite', '@berth/pglite').message).toBe(
      'the "pglite" backend needs the @berth/pglite package: install it with "npm install @berth/pglite"',
    );
  });
});
