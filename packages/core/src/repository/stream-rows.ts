import type { StoredRow } from '../driver/commands.js';
import { checkLimit } from './read-page.js';
import type { Page } from './page.js';

/** Rows per batch of a stream when `batchSize` is not given. */
export const DEFAULT_STREAM_BATCH = 500;

/**
 * Iterates every row of a keyset-paginated read, one page at a time: `readPage(cursor)` is called for each
 * batch, and nothing is held between batches (each page takes its connection and gives it back, or runs
 * on the transaction's pinned connection). Leaving the loop early simply stops asking for pages.
 */
export async function* streamRows(
  batchSize: unknown,
  readPage: (limit: number, cursor: string | null) => Promise<Page<StoredRow>>,
): AsyncGenerator<StoredRow, void, undefined> {
  const limit = (checkLimit(batchSize, 'batchSize', false) as number | undefined) ?? DEFAULT_STREAM_BATCH;
  let cursor: string | null = null;
  do {
    const page: Page<StoredRow> = await readPage(limit, cursor);
    cursor = page.nextCursor;
    yield* page.items;
  } while (cursor !== null);
}
