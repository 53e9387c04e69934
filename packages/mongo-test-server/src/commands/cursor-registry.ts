import { BSON, Long } from 'bson';
import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';

/** Default first-batch size of `find`/`aggregate`, as in mongod. */
const DEFAULT_FIRST_BATCH = 101;
/** Keep replies under the 16 MiB BSON limit, leaving room for the envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface OpenCursor {
  readonly id: number;
  readonly ns: string;
  readonly docs: Document[];
  position: number;
  readonly sessionKey: string | undefined;
}

/** Options for {@link CursorRegistry.open}. */
export interface OpenOptions {
  batchSize?: number | undefined;
  singleBatch?: boolean | undefined;
  sessionKey?: string | undefined;
}

/**
 * Server-side cursors. Results are materialised when the cursor is opened (a snapshot), and handed
 * out in batches by `getMore`; this keeps reads consistent even when writes happen in between.
 */
export class CursorRegistry {
  readonly #cursors = new Map<number, OpenCursor>();
  // Start at a random offset so ids from different servers/restarts are unlikely to collide.
  #nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

  /** Opens a cursor over `docs` and returns the `cursor` reply field with the first batch. */
  open(ns: string, docs: Document[], options: OpenOptions = {}): Document {
    const cursor: OpenCursor = { id: 0, ns, docs, position: 0, sessionKey: options.sessionKey };
    // batchSize 0 asks for an open cursor with an empty first batch.
    const firstBatch =
      options.batchSize === 0 ? [] : this.#take(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!options.singleBatch && cursor.position < docs.length) {
      id = this.#nextId++;
      this.#cursors.set(id, { ...cursor, id });
    }
    return { firstBatch, id: Long.fromNumber(id), ns };
  }

  /** Returns the `cursor` reply field of a `getMore`. */
  getMore(id: number, ns: string, batchSize: number | undefined): Document {
    const cursor = this.#cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        ErrorCodes.BadValue,
        `Requested getMore on namespace '${ns}', but cursor belongs to '${cursor.ns}'`,
      );
    }
    const nextBatch = this.#take(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    const exhausted = cursor.position >= cursor.docs.length;
    if (exhausted) this.#cursors.delete(id);
    return { nextBatch, id: Long.fromNumber(exhausted ? 0 : id), ns };
  }

  /** Kills cursors; returns the ids that existed and those that did not. */
  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.#cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  /** Kills the cursors owned by a session (on `endSessions`/`killSessions`). */
  killSession(sessionKey: string): void {
    for (const [id, cursor] of this.#cursors) if (cursor.sessionKey === sessionKey) this.#cursors.delete(id);
  }

  get openCount(): number {
    return this.#cursors.size;
  }

  clear(): void {
    this.#cursors.clear();
  }

  #take(cursor: OpenCursor, batchSize: number): Document[] {
    const limit = batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const batch: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && batch.length < limit) {
      const doc = cursor.docs[cursor.position] as Document;
      bytes += BSON.calculateObjectSize(doc);
      if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
      batch.push(doc);
      cursor.position++;
    }
    return batch;
  }
}
