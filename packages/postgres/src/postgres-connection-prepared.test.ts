import { defineEntity, field, type FindCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { promisesOf } from '../../core/test/support/promises-of.js';
import type { PgPoolClientLike, PgQueryConfigLike, PgQueryResultLike } from './pg-like.js';
import { PostgresConnection } from './postgres-connection.js';
import { PreparedStatementCache, preparedStatementName } from './prepared-statement-cache.js';

const Thing = defineEntity('pg_prepared_things', {
  id: field.id(),
  label: field.string({ max: 20 }),
});

const byId = (id: string): FindCommand => ({
  entity: Thing,
  where: { type: 'compare', field: 'id', op: 'eq', value: id },
  orderBy: [{ field: 'id', direction: 'asc' }],
  limit: 1,
});

/**
 * A pg client that answers every statement at once with one row, records what it was sent, and keeps
 * `parsedStatements` as pg does: a named statement is recorded once the server has parsed it.
 */
function fakeClient() {
  const sent: PgQueryConfigLike[] = [];
  const parsedStatements: Record<string, string> = {};
  const client = {
    processID: 1,
    _txStatus: 'I',
    connection: { parsedStatements },
    query(config: PgQueryConfigLike, callback?: (e: Error | null, r: PgQueryResultLike) => void) {
      sent.push({ ...config });
      if (config.name !== undefined) parsedStatements[config.name] = config.text;
      const rows = config.rowMode === 'array' ? [['a', 'x'] as unknown as Record<string, unknown>] : [];
      const result: PgQueryResultLike = { rows, rowCount: rows.length };
      if (callback) {
        queueMicrotask(() => callback(null, result));
        return undefined;
      }
      return Promise.resolve(result);
    },
    release() {},
    on() {},
    off() {},
  } as unknown as PgPoolClientLike;
  return { client, sent };
}

describe('PostgresConnection with prepared statements', () => {
  it('sends a statement it has prepared by name, on the same path as an unnamed one', async () => {
    const { client, sent } = fakeClient();
    const prepared = new PostgresConnection(client, new PreparedStatementCache(10));
    const plain = new PostgresConnection(fakeClient().client);
    // The first use prepares it (pg does, given the name); warm both paths alike.
    expect(await prepared.find(byId('a'))).toEqual([{ id: 'a', label: 'x' }]);
    await plain.find(byId('a'));
    const name = preparedStatementName(sent[0]!.text);
    expect(sent[0]!.name).toBe(name);

    const onPrepared = await promisesOf(() => prepared.find(byId('b')));
    const onPlain = await promisesOf(() => plain.find(byId('b')));
    expect(sent[1]).toMatchObject({ name, text: sent[0]!.text, values: ['b'], rowMode: 'array' });
    // No promise of its own for the name: a held statement costs what an unprepared one does.
    expect(onPrepared).toBe(onPlain);
  });

  it('runs what it never prepares (transaction control) unnamed, without a promise of its own', async () => {
    const { client, sent } = fakeClient();
    const prepared = new PostgresConnection(client, new PreparedStatementCache(10));
    const plain = new PostgresConnection(fakeClient().client);
    await prepared.savepoint('s');
    await plain.savepoint('s');
    expect(sent[0]).toEqual({ text: 'SAVEPOINT "s"', values: [] });
    expect(await promisesOf(() => prepared.savepoint('t'))).toBe(
      await promisesOf(() => plain.savepoint('t')),
    );
  });
});
