import type { Database, Repository, RowOf } from '@berth/core';
import { expect } from 'vitest';
import { TcpProxy } from '../faults/tcp-proxy.js';
import type { ReadReplicaContext } from './read-replica-target.js';
import type { Note } from './replica-note.js';

/** What `openReplicaBehindProxy` set up: stop `proxy` when the case ends. */
export interface ReplicaBehindProxy {
  /** The proxy in front of the replica: freeze, cut or thaw it to make the replica fail. */
  readonly proxy: TcpProxy;
  /** A database on the primary whose replica is reached through `proxy`. */
  readonly db: Database;
  /** `db`'s repository of `Note`. */
  readonly notes: Repository<typeof Note>;
  /** A note written on the primary and already replayed by the replica (and read there once). */
  readonly note: RowOf<typeof Note>;
}

/**
 * The set-up a "replica stops answering" case needs before it makes the replica fail: a `TcpProxy` in
 * front of the server of `replicaUrl` (port `defaultPort` when the URL names none), a database from
 * `context.open` whose replica is reached through it (`acquireTimeoutMs` 500), a note the replica has
 * replayed, and a first routed read the replica served. The proxy is stopped if the set-up fails;
 * otherwise the caller stops it.
 */
export async function openReplicaBehindProxy(
  context: Pick<ReadReplicaContext, 'open' | 'caughtUp' | 'Note'>,
  replicaUrl: string,
  defaultPort: number,
): Promise<ReplicaBehindProxy> {
  const target = new URL(replicaUrl);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || defaultPort) });
  try {
    const through = new URL(replicaUrl);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const db = await context.open({ replicaUrl: through.href, pool: { acquireTimeoutMs: 500 } });
    const notes = db.repository(context.Note);
    const note = await notes.insert({ owner: 'down', body: 'still readable' });
    await context.caughtUp(db);
    await db.withSession(undefined, () => notes.findById(note.id));
    expect(db.replicaStats()!.replicaReads).toBe(1);
    return { proxy, db, notes, note };
  } catch (error) {
    await proxy.stop();
    throw error;
  }
}
