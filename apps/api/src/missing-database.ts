/**
 * What to tell the operator when the database named in DATABASE_URL does not exist on the server: the
 * server answers PostgreSQL's SQLSTATE 3D000 (`database "app" does not exist`) or MySQL/MariaDB's error
 * 1049 (`Unknown database 'app'`), which berth raises as a `DatabaseError` with the driver's error as its
 * cause. MongoDB creates a database on first write and PGlite creates its directory, so neither gets here.
 */

/** The driver error's marks, wherever it sits in the `cause` chain. */
function missingOn(error: unknown): 'postgres' | 'mysql' | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    if (code === '3D000') return 'postgres';
    if (code === 'ER_BAD_DB_ERROR' || errno === 1049) return 'mysql';
    current = current.cause;
  }
  return undefined;
}

/** `value` quoted for a POSIX shell. */
function shellQuote(value: string): string {
  return /^[\w.@%+=:,/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One line saying that the database is missing and the command that creates it, or undefined when
 * `error` is not a missing database. The password is never repeated: the command asks for it (`-W`, `-p`).
 */
export function missingDatabaseHint(databaseUrl: string, error: unknown): string | undefined {
  const server = missingOn(error);
  if (!server) return undefined;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return undefined;
  }
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  const host = url.hostname || '127.0.0.1';
  if (server === 'postgres') {
    const port = url.port || '5432';
    const command = [
      'createdb',
      `-h ${shellQuote(host)}`,
      `-p ${port}`,
      ...(user ? [`-U ${shellQuote(user)}`] : []),
      ...(url.password ? ['-W'] : []),
      shellQuote(name),
    ].join(' ');
    return (
      `database "${name}" does not exist on the PostgreSQL server at ${host}:${port}. ` +
      `Create it with: ${command} (or, in psql: CREATE DATABASE "${name.replace(/"/g, '""')}";), then start again`
    );
  }
  const port = url.port || '3306';
  const statement = `CREATE DATABASE \`${name.replace(/`/g, '``')}\``;
  const command = [
    'mariadb',
    `-h ${shellQuote(host)}`,
    `-P ${port}`,
    ...(user ? [`-u ${shellQuote(user)}`] : []),
    ...(url.password ? ['-p'] : []),
    `-e ${shellQuote(statement)}`,
  ].join(' ');
  return (
    `database "${name}" does not exist on the MySQL/MariaDB server at ${host}:${port}. ` +
    `Create it with: ${command} (the mysql client takes the same options), then start again`
  );
}
