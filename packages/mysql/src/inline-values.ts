/**
 * Values written into a statement's text, for the one case berth sends values as text on MySQL/MariaDB:
 * several statements in one packet (a prepared statement carries one). Nothing here depends on how the
 * session reads literals: a string goes as hex digits with a character set introducer (`_utf8mb4 X'…'`),
 * never as a quoted literal, so neither `NO_BACKSLASH_ESCAPES` (a backslash that ends a literal), nor
 * `ANSI_QUOTES`, nor the connection's character set (a multi-byte character that swallows a quote) can turn
 * a value into SQL. The hex is the UTF-8 of the string, which is what mysql2 sends for a bound string on a
 * utf8mb4 connection; an introduced literal has a literal's coercibility, so a column's collation still
 * decides a comparison, as with a bound value. A value this cannot write exactly is refused (`undefined`),
 * and the caller falls back to bound values.
 */

/** A valid Date as MySQL DATETIME text in UTC (the driver's `timezone: 'Z'`), or undefined. */
function datetimeText(date: Date): string | undefined {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const millis = date.getUTCMilliseconds();
  return (
    `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.` +
    `${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`
  );
}

/** A number as an SQL literal: an exact integer, else an approximate (double) literal, as bound. */
function numberLiteral(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  let text = String(value);
  // A double stays a double (`1.5e0`), as mysql2 binds it, rather than an exact decimal literal.
  if (!Number.isSafeInteger(value) && !text.includes('e')) text += 'e0';
  // Parenthesized: after a `-` in the text, `--1` must not read as the start of a comment.
  return value < 0 || Object.is(value, -0) ? `(${text})` : text;
}

/** `value` as an SQL literal that means what binding it means, or undefined when it cannot be written. */
export function sqlLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}'`;
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      return value < 0n ? `(${value})` : `${value}`;
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (value instanceof Date) {
        const text = datetimeText(value);
        return text === undefined ? undefined : `'${text}'`;
      }
      if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
      return undefined;
  }
}

/** The text around each `?` of a statement berth compiled, per statement text; small and bounded. */
const SPLITS = new Map<string, readonly string[] | null>();
const MAX_SPLITS = 512;
/** Statements longer than this are split on every call rather than cached (see `split`). */
const MAX_CACHED_LENGTH = 4_096;

/**
 * The pieces of `sql` between its `?` placeholders, or null when the text holds anything but identifiers
 * around them: a quoted literal or a comment could hold a `?` that is not a placeholder, and berth's
 * statements for one row have none, so such a statement is simply not inlined.
 */
function split(sql: string): readonly string[] | null {
  const cached = SPLITS.get(sql);
  if (cached !== undefined) return cached;
  const pieces: string[] = [];
  let start = 0;
  let result: readonly string[] | null = pieces;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === '`') {
      // A quoted identifier, whose `` is a backtick: skipping to the next backtick and going on is the same.
      const end = sql.indexOf('`', i + 1);
      if (end < 0) {
        result = null;
        break;
      }
      i = end;
    } else if (c === '?') {
      pieces.push(sql.slice(start, i));
      start = i + 1;
    } else if (
      c === "'" ||
      c === '"' ||
      c === '#' ||
      c === ';' ||
      c === '\\' ||
      (c === '-' && sql[i + 1] === '-') ||
      (c === '/' && sql[i + 1] === '*')
    ) {
      result = null;
      break;
    }
  }
  if (result !== null) pieces.push(sql.slice(start));
  // A multi-row INSERT's text and pieces are large (a 1000-row chunk holds thousands of `?`): cached, a
  // full cache of them would hold hundreds of megabytes. Splitting one again is a scan of its text.
  if (sql.length > MAX_CACHED_LENGTH) return result;
  if (SPLITS.size >= MAX_SPLITS) SPLITS.clear();
  SPLITS.set(sql, result);
  return result;
}

/**
 * `sql` with each `?` replaced by its value's literal (`sqlLiteral`), or undefined when a value cannot be
 * written exactly, the count of values is not the count of placeholders, or the text is not one berth
 * statement of identifiers and placeholders (see `split`).
 */
export function inlineValues(sql: string, params: readonly unknown[]): string | undefined {
  const pieces = split(sql);
  if (pieces === null || pieces.length !== params.length + 1) return undefined;
  let text = pieces[0]!;
  for (let i = 0; i < params.length; i++) {
    const literal = sqlLiteral(params[i]);
    if (literal === undefined) return undefined;
    text += ` ${literal} ${pieces[i + 1]}`;
  }
  return text;
}

/**
 * The longest text `rowlessWriteText` sends: a hex literal is twice its string's bytes, and a packet over the
 * server's `max_allowed_packet` (4 MiB at the smallest default) fails where bound values would not.
 */
const MAX_TEXT_LENGTH = 1 << 20;

/** `INSERT`, `UPDATE` or `DELETE` as berth compiles them (upper case, at the start of the text). */
const ROWLESS_WRITE = /^(?:INSERT|UPDATE|DELETE) /;

/**
 * For one statement berth compiled that writes and returns no rows (an `INSERT`, `UPDATE` or `DELETE`
 * without `RETURNING`), the text to send with its values written in (`inlineValues`); undefined for any
 * other statement, a value that cannot be written exactly, or a text over `MAX_TEXT_LENGTH`, which then
 * goes with its values bound. Only statements without rows: the text protocol hands a row's values over
 * as text, which for some types (FLOAT) does not read back as the binary protocol's value does.
 */
export function rowlessWriteText(sql: string, params: readonly unknown[]): string | undefined {
  if (!ROWLESS_WRITE.test(sql) || sql.includes('RETURNING')) return undefined;
  const text = inlineValues(sql, params);
  return text === undefined || text.length > MAX_TEXT_LENGTH ? undefined : text;
}
