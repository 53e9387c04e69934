/** One page of a keyset-paginated query. `nextCursor` is null on the last page. */
export interface Page<T> {
  /** The page's rows, in the query's order; at most `limit`. */
  readonly items: T[];
  /** Pass as `cursor` with the same `where` and `orderBy` to read the next page; null when this page is the last. */
  readonly nextCursor: string | null;
}
