import { describe, expect, it } from 'vitest';
import { redactQueryText } from './redact-query-text.js';
import { serverOfUrl } from './server-of-url.js';

describe('redactQueryText', () => {
  it('keeps placeholders, names and keywords; replaces every literal', () => {
    expect(redactQueryText('SELECT "t1".id FROM t1 WHERE a = $1 AND b = ? LIMIT 21')).toBe(
      'SELECT "t1".id FROM t1 WHERE a = $1 AND b = ? LIMIT ?',
    );
    expect(redactQueryText("UPDATE x SET s = 'it''s secret', n = -4.5e3 WHERE c = 'a\\'b'")).toBe(
      'UPDATE x SET s = ?, n = ? WHERE c = ?',
    );
    expect(redactQueryText('SELECT $tag$ secret $tag$, $$ other $$')).toBe('SELECT ?, ?');
    expect(redactQueryText('INSERT INTO `t2` (`c3`) VALUES (42)')).toBe('INSERT INTO `t2` (`c3`) VALUES (?)');
  });

  it('hexadecimal, binary and dot-leading numbers are values too; names with digits stay', () => {
    expect(redactQueryText('SELECT 0xDEADBEEF, 0b1011, .5, 1., -2.5e-3 FROM t2 WHERE c1 = $1')).toBe(
      'SELECT ?, ?, ?, ?, ? FROM t2 WHERE c1 = $1',
    );
    expect(redactQueryText('SELECT "t1".c2, `t3`.c4, t5.c6 FROM s7.t8')).toBe(
      'SELECT "t1".c2, `t3`.c4, t5.c6 FROM s7.t8',
    );
  });

  it('on MySQL/MariaDB a double-quoted string is a value; elsewhere it is a name', () => {
    const text = String.raw`SELECT "t1".id FROM t1 WHERE owner <> "it\"s ""secret""" AND n = ?`;
    expect(redactQueryText(text, 'mysql')).toBe('SELECT ?.id FROM t1 WHERE owner <> ? AND n = ?');
    expect(redactQueryText(text, 'postgres')).toBe(text);
    expect(redactQueryText('SELECT "never closed', 'mysql')).toBe('SELECT ?');
  });

  it('an unterminated literal is redacted to the end', () => {
    expect(redactQueryText("SELECT 'never closed AND more")).toBe('SELECT ?');
  });
});

describe('serverOfUrl', () => {
  it('host, port (or the default) and database; never the credentials', () => {
    expect(serverOfUrl('postgres://u:pw@db.example:6543/app')).toEqual({
      address: 'db.example',
      port: 6543,
      namespace: 'app',
    });
    expect(serverOfUrl('mysql://root@127.0.0.1/shop')).toEqual({
      address: '127.0.0.1',
      port: 3306,
      namespace: 'shop',
    });
    expect(serverOfUrl('mongodb://[::1]')).toEqual({ address: '::1', port: 27017 });
    expect(JSON.stringify(serverOfUrl('postgres://u:secret@h/db'))).not.toContain('secret');
  });

  it('nothing for embedded databases, unknown schemes and garbage', () => {
    expect(serverOfUrl('pglite://memory')).toEqual({});
    expect(serverOfUrl('not a url')).toEqual({});
    expect(serverOfUrl(undefined)).toEqual({});
  });
});
