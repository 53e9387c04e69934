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
