import { describe, expect, it } from 'vitest';
import { PreparedStatementCache, preparedStatementName } from './prepared-statement-cache.js';

describe('preparedStatementName', () => {
  it('is a stable hash of the SQL text, a valid identifier', () => {
    const name = preparedStatementName('SELECT 1');
    expect(name).toMatch(/^berth_[0-9a-f]{24}$/);
    expect(preparedStatementName('SELECT 1')).toBe(name);
    expect(preparedStatementName('SELECT 2')).not.toBe(name);
  });
});

describe('PreparedStatementCache', () => {
  it('prepares queries and DML, not transaction control or DDL', () => {
    for (const sql of [
      'SELECT 1',
      ' insert into t values ($1)',
      'UPDATE t SET a = $1',
      'DELETE FROM t',
      'WITH x AS (SELECT 1) SELECT * FROM x',
    ]) {
      expect(PreparedStatementCache.preparable(sql)).toBe(true);
    }
    for (const sql of [
      'BEGIN',
      'COMMIT',
      'ROLLBACK',
      'SAVEPOINT "s"',
      'CREATE TABLE t (a int)',
      'DEALLOCATE x',
    ]) {
      expect(PreparedStatementCache.preparable(sql)).toBe(false);
    }
  });

  it('evicts the least recently used statement once full', () => {
    const cache = new PreparedStatementCache(2);
    cache.add('a', 'A');
    cache.add('b', 'B');
    expect(cache.full).toBe(true);
    expect(cache.use('a')).toBe('A');
    expect(cache.evict()).toBe('B');
    expect(cache.use('b')).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.evict()).toBe('A');
    expect(cache.evict()).toBeUndefined();
  });

  it('evicts by last use, however the statements were added and used', () => {
    const cache = new PreparedStatementCache(3);
    cache.add('a', 'A');
    cache.add('b', 'B');
    cache.add('c', 'C');
    expect(cache.use('a')).toBe('A');
    expect(cache.use('b')).toBe('B');
    cache.add('c', 'C'); // recorded again: just used
    expect(cache.size).toBe(3);
    expect(cache.evict()).toBe('A');
    expect(cache.evict()).toBe('B');
    expect(cache.evict()).toBe('C');
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new PreparedStatementCache(0)).toThrow(RangeError);
    expect(() => new PreparedStatementCache(1.5)).toThrow(RangeError);
  });
});
