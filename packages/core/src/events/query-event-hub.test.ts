import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Database } from '../database.js';
import { UniqueViolationError } from '../errors/unique-violation-error.js';
import { observeQuery, sqlOperation } from './observe-query.js';
import type { QueryEvent } from './query-event.js';
import { QueryEventHub } from './query-event-hub.js';
import { queryLogListener } from './query-logger.js';

const input: QueryEvent = {
  backend: 'postgres',
  statement: 'SELECT 1',
  operation: 'SELECT',
  parameterCount: 1,
  values: ['secret'],
  durationMs: 1.5,
  rows: 1,
  inTransaction: false,
  connectionId: '7',
};

describe('QueryEventHub', () => {
  it('listening follows the listener set', () => {
    const hub = new QueryEventHub('postgres');
    const a = () => undefined;
    const b = () => undefined;
    expect(hub.listening).toBe(false);
    hub.on(a);
    hub.on(b);
    hub.off(a);
    expect(hub.listening).toBe(true);
    hub.off(b);
    expect(hub.listening).toBe(false);
  });

  it('hands each event to every listener as is, and survives a throwing listener', () => {
    const events: QueryEvent[] = [];
    const hub = new QueryEventHub('mysql', { includeValues: true });
    expect(hub).toMatchObject({ backend: 'mysql', includeValues: true });
    hub.on(() => {
      throw new Error('bug');
    });
    hub.on((e) => events.push(e));
    hub.emit(input);
    expect(events).toEqual([input]);
    expect(new QueryEventHub('mysql').includeValues).toBe(false);
  });
});

describe('observeQuery', () => {
  it('times the work and reports rows, or the error with 0 rows, and returns or rethrows unchanged', async () => {
    const events: QueryEvent[] = [];
    const hub = new QueryEventHub('pglite');
    hub.on((e) => events.push(e));
    const withValues = new QueryEventHub('pglite', { includeValues: true });
    withValues.on((e) => events.push(e));
    const description = {
      statement: 'SELECT $1',
      operation: 'SELECT',
      values: [1],
      inTransaction: true,
      connectionId: 'c',
    };
    expect(
      await observeQuery(
        hub,
        description,
        async () => [1, 2],
        (r) => r.length,
      ),
    ).toEqual([1, 2]);
    const error = new UniqueViolationError('t', ['a']);
    await expect(
      observeQuery(
        hub,
        description,
        () => Promise.reject(error),
        () => 1,
      ),
    ).rejects.toBe(error);
    await observeQuery(
      withValues,
      description,
      async () => 3,
      (n) => n,
    );
    expect(events.map((e) => [e.backend, e.rows, e.error, e.parameterCount, e.values])).toEqual([
      ['pglite', 2, undefined, 1, undefined],
      ['pglite', 0, error, 1, undefined],
      ['pglite', 3, undefined, 1, [1]],
    ]);
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
  });

  it('sqlOperation is the first keyword, upper-cased', () => {
    expect(sqlOperation('  select 1')).toBe('SELECT');
    expect(sqlOperation('START TRANSACTION READ ONLY')).toBe('START');
    expect(sqlOperation('(select 1)')).toBe('');
  });
});

describe('queryLogListener', () => {
  it('logs at debug with the fields as object and the statement as message; errors as err', () => {
    const calls: Array<[object, string]> = [];
    const listener = queryLogListener({ debug: (o, m) => calls.push([o, m]) });
    listener({ ...input, durationMs: 1.23456 });
    expect(calls[0]).toEqual([{ ...input, durationMs: 1.23456 }, 'SELECT 1 (1.235 ms)']);
    const error = new UniqueViolationError('t', ['a']);
    listener({ ...input, error });
    expect(calls[1]?.[1]).toBe('failed: SELECT 1 (1.5 ms)');
    expect(calls[1]?.[0]).toMatchObject({ err: error });
    expect(calls[1]?.[0]).not.toHaveProperty('error');
  });

  it('types: on/off take query listeners; logQueries takes a pino-like logger', () => {
    const use = (db: Database) => {
      db.on('query', (e) => expectTypeOf(e).toEqualTypeOf<QueryEvent>());
      // @ts-expect-error only 'query' events
      db.on('connect', () => undefined);
    };
    expect(typeof use).toBe('function');
  });
});
