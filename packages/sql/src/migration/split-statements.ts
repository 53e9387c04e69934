/**
 * Splits a SQL migration file into its statements. The file format is line based, so no SQL parser is
 * needed: a statement ends with a semicolon at the end of a line, and lines starting with `--` outside a
 * statement are comments. Statements come back without their final semicolon.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (current.length === 0 && (trimmed === '' || trimmed.startsWith('--'))) continue;
    current.push(line);
    if (trimmed.endsWith(';')) {
      const statement = current.join('\n').trim().slice(0, -1).trim();
      if (statement !== '') statements.push(statement);
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest !== '') statements.push(rest);
  return statements;
}

/** The directive a SQL file carries to run outside a transaction (e.g. `CREATE INDEX CONCURRENTLY`). */
export const NO_TRANSACTION_DIRECTIVE = '-- berth:no-transaction';

/** The line that starts a SQL file's down section (compared trimmed, in any case). */
export const DOWN_MARKER = '-- down';

/**
 * A SQL migration file's two parts: the statements of `up` (everything before a `-- down` line) and those
 * of `down` (everything after it), or undefined when the file has no `-- down` line and so cannot be
 * reverted. A down section may be empty: the file then reverts by doing nothing but leave the history.
 */
export function splitMigration(text: string): { up: string[]; down: string[] | undefined } {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => line.trim().toLowerCase() === DOWN_MARKER);
  if (at < 0) return { up: splitStatements(text), down: undefined };
  return {
    up: splitStatements(lines.slice(0, at).join('\n')),
    down: splitStatements(lines.slice(at + 1).join('\n')),
  };
}
