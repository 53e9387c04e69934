import type { ClientSession, Db } from 'mongodb';

/** The longest `end()` waits for the server to forget a discarded session. */
const END_SESSIONS_TIMEOUT_MS = 1_000;

/**
 * After a network error the driver marks a session's server session dirty and, when the session ends,
 * drops it instead of pooling it, without ever telling the server (the sessions spec); the server keeps
 * it until it expires (30 minutes on mongod). A commit or write whose reply was lost leaves such a
 * session behind, so berth ends it explicitly on the server, best effort and bounded: `endSessions`
 * carrying the session itself. `isDirty` is the driver's internal flag (mongodb 6 and 7); without it,
 * nothing is sent.
 */
export async function endDiscardedServerSession(db: Db, session: ClientSession): Promise<void> {
  const dirty = (session as unknown as { serverSession?: { isDirty?: boolean } }).serverSession?.isDirty;
  const lsid = session.id;
  if (dirty !== true || lsid === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    db
      .admin()
      .command({ endSessions: [lsid] }, { session })
      .catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, END_SESSIONS_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}
