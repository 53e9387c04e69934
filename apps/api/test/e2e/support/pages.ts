import { expect } from 'vitest';
import type { Http } from './http.js';
import type { Json } from './http.js';

/** Follows `nextCursor` from the first page to the last; checks every page on the way. */
export async function allPages<T = Json>(
  http: Http,
  path: string,
  query: Record<string, string>,
  limit: number,
) {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit) });
    if (cursor) params.set('cursor', cursor);
    const reply = await http.get(`${path}?${params}`);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.items.length).toBeLessThanOrEqual(limit);
    // Only the last page may be short, and only it has a null cursor.
    if (reply.body.nextCursor !== null) expect(reply.body.items.length).toBe(limit);
    items.push(...reply.body.items);
    cursor = reply.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(10_000);
  } while (cursor !== null);
  return { items, pages };
}
