import type { BackendName } from '../driver/capabilities.js';

/**
 * Literal values in SQL text: quoted strings (with `''` or backslash escapes; an unterminated one runs to
 * the end), dollar-quoted strings, hexadecimal and binary numbers (`0xBEEF`, `0b101`: MySQL, MariaDB,
 * PostgreSQL 16+), and decimal numbers that are not part of a name or a placeholder (`t1`, `$1`),
 * `.5` and `1.` included.
 */
const LITERALS =
  /'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$|(?<![\w$.@"`])-?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?![\w"`])/g;

/**
 * The same, and double-quoted strings: on MySQL and MariaDB `"…"` is a string literal, unless the session
 * has `ANSI_QUOTES` (berth's does not: it quotes names with backticks), so it is redacted there.
 */
const MYSQL_LITERALS = new RegExp(`"(?:[^"\\\\]|\\\\[\\s\\S]|"")*(?:"|$)|${LITERALS.source}`, 'g');

/**
 * The statement with every literal value replaced by `?`, as OpenTelemetry's `db.query.text` wants it.
 * berth's own statements bind every value (`$1`, `?`), so this only changes literals a raw statement wrote
 * into its text (`WHERE name = 'alice'`) and the constants of DDL; placeholders, names and keywords stay.
 * `backend` says how the text reads: on `mysql` a double-quoted string is a value too (elsewhere it is a
 * name). When in doubt it redacts more, never less.
 */
export function redactQueryText(text: string, backend?: BackendName): string {
  return text.replace(backend === 'mysql' ? MYSQL_LITERALS : LITERALS, '?');
}
