/**
 * Literal values in SQL text: quoted strings (with `''` or backslash escapes; an unterminated one runs to
 * the end), dollar-quoted strings, and numbers that are not part of a name or a placeholder (`t1`, `$1`).
 */
const LITERALS =
  /'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$|(?<![\w$.@"`])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w"`])/g;

/**
 * The statement with every literal value replaced by `?`, as OpenTelemetry's `db.query.text` wants it.
 * berth's own statements bind every value (`$1`, `?`), so this only changes literals a raw statement wrote
 * into its text (`WHERE name = 'alice'`) and the constants of DDL; placeholders, names and keywords stay.
 * When in doubt it redacts more, never less.
 */
export function redactQueryText(text: string): string {
  return text.replace(LITERALS, '?');
}
