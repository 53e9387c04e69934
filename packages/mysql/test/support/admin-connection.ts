import { type Connection, createConnection } from 'mysql2/promise';

/** A plain mysql2 connection to the server a `mysql://` URL names, outside berth (for set-up and checks). */
export function adminOf(server: string): Promise<Connection> {
  const url = new URL(server);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    connectTimeout: 3_000,
  });
}
