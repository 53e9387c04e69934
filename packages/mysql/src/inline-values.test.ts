import { describe, expect, it } from 'vitest';
import { inlineValues, rowlessWriteText, sqlLiteral } from './inline-values.js';

describe('sqlLiteral', () => {
  it('writes a string as hex digits with an introducer: no quote, backslash or byte of it reaches the text', () => {
    expect(sqlLiteral("a'\\")).toBe("_utf8mb4 X'61275c'");
    expect(sqlLiteral('')).toBe("_utf8mb4 X''");
    // Multi-byte: the UTF-8 bytes mysql2 would send for a bound value.
    expect(sqlLiteral('é🚀')).toBe(`_utf8mb4 X'${Buffer.from('é🚀').toString('hex')}'`);
    for (const hostile of ["\\' OR 1=1 -- ", '\u00bf\u0027', '\\"', "'; DROP TABLE t; -- "]) {
      expect(sqlLiteral(hostile)).toMatch(/^_utf8mb4 X'[0-9a-f]*'$/);
    }
  });

  it('writes integers exactly, doubles as approximate literals, negatives in parentheses', () => {
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(-3)).toBe('(-3)');
    expect(sqlLiteral(1.5)).toBe('1.5e0');
    expect(sqlLiteral(-0.25)).toBe('(-0.25e0)');
    expect(sqlLiteral(1e21)).toBe('1e+21');
    expect(sqlLiteral(2 ** 60)).toBe(`${2 ** 60}e0`);
    expect(sqlLiteral(12n)).toBe('12');
    expect(sqlLiteral(-12n)).toBe('(-12)');
  });

  it('writes null, booleans, buffers and dates (UTC, milliseconds)', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(false)).toBe('FALSE');
    expect(sqlLiteral(Buffer.from([0, 0x27, 0x5c]))).toBe("X'00275c'");
    expect(sqlLiteral(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe("'2026-01-02 03:04:05.006'");
    expect(sqlLiteral(new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999)))).toBe("'0999-12-31 23:59:59.999'");
  });

  it('refuses what it cannot write exactly', () => {
    expect(sqlLiteral(Number.NaN)).toBeUndefined();
    expect(sqlLiteral(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(sqlLiteral(new Date(Number.NaN))).toBeUndefined();
    expect(sqlLiteral(new Date(Date.UTC(10_000, 0, 1)))).toBeUndefined();
    expect(sqlLiteral({ a: 1 })).toBeUndefined();
    expect(sqlLiteral([1])).toBeUndefined();
    expect(sqlLiteral(new Uint8Array([1]))).toBeUndefined();
    expect(sqlLiteral(Symbol('s'))).toBeUndefined();
  });
});

describe('inlineValues', () => {
  it('replaces each placeholder in order, spaced so that no literal joins the text around it', () => {
    expect(inlineValues('UPDATE `t` SET `a` = ? WHERE `id` = ? AND `n` -?', ['x', 1, -2])).toBe(
      "UPDATE `t` SET `a` =  _utf8mb4 X'78'  WHERE `id` =  1  AND `n` - (-2) ",
    );
  });

  it('leaves a ? inside a quoted identifier alone', () => {
    expect(inlineValues('SELECT `a?b`, `c``?` FROM `t` WHERE `x` = ?', [1])).toBe(
      'SELECT `a?b`, `c``?` FROM `t` WHERE `x` =  1 ',
    );
  });

  it('refuses text it cannot tell placeholders in, a count that does not match, and values it cannot write', () => {
    expect(inlineValues("SELECT '?' FROM t WHERE a = ?", [1])).toBeUndefined();
    expect(inlineValues('SELECT "?" FROM t WHERE a = ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t -- ?\nWHERE a = ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t /* ? */ WHERE a = ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t # ?\nWHERE a = ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT 1; SELECT ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT `a FROM t WHERE a = ?', [1])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t WHERE a = ?', [])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t WHERE a = ?', [1, 2])).toBeUndefined();
    expect(inlineValues('SELECT a FROM t WHERE a = ?', [{ json: true }])).toBeUndefined();
  });
});

describe('rowlessWriteText', () => {
  it('writes the values into an INSERT, UPDATE or DELETE berth compiled', () => {
    expect(rowlessWriteText('INSERT INTO `t` (`a`, `b`) VALUES (?, ?)', ['x', 2])).toBe(
      "INSERT INTO `t` (`a`, `b`) VALUES ( _utf8mb4 X'78' ,  2 )",
    );
    expect(rowlessWriteText('UPDATE `t` SET `a` = ? WHERE `id` = ?', [null, 'k'])).toBe(
      "UPDATE `t` SET `a` =  NULL  WHERE `id` =  _utf8mb4 X'6b' ",
    );
    expect(rowlessWriteText('DELETE FROM `t` WHERE `id` = ?', [-1])).toBe(
      'DELETE FROM `t` WHERE `id` =  (-1) ',
    );
  });

  it('leaves every statement that returns rows, or may, to bound values', () => {
    expect(rowlessWriteText('SELECT `a` FROM `t` WHERE `id` = ?', ['k'])).toBeUndefined();
    expect(rowlessWriteText('INSERT INTO `t` (`a`) VALUES (?) RETURNING `id`', ['x'])).toBeUndefined();
    expect(rowlessWriteText('DELETE FROM `t` WHERE `id` = ? RETURNING `id`', ['k'])).toBeUndefined();
    expect(rowlessWriteText('SELECT GET_LOCK(?, 10)', ['k'])).toBeUndefined();
  });

  it('leaves to bound values a value it cannot write, and a text past the packet bound', () => {
    expect(rowlessWriteText('UPDATE `t` SET `a` = ?', [Number.NaN])).toBeUndefined();
    expect(rowlessWriteText('UPDATE `t` SET `a` = ?', [{}])).toBeUndefined();
    // Hex doubles a string: half a MiB of text is a literal over the bound.
    expect(rowlessWriteText('UPDATE `t` SET `a` = ?', ['x'.repeat(1 << 19)])).toBeUndefined();
    expect(rowlessWriteText('UPDATE `t` SET `a` = ?', ['x'.repeat(1 << 18)])).toBeDefined();
  });

  it('writes a statement too long to cache as it does a short one', () => {
    const rows = 1_000;
    const sql = `INSERT INTO \`t\` (\`a\`, \`b\`) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')}`;
    const params = Array.from({ length: rows }, (_, i) => [`v${i}`, i]).flat();
    const text = rowlessWriteText(sql, params)!;
    expect(text).toContain(`( _utf8mb4 X'${Buffer.from('v999').toString('hex')}' ,  999 )`);
    expect(rowlessWriteText(sql, params)).toBe(text);
  });
});
