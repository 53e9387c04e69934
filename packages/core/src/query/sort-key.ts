/** One normalized sort key. Adapters receive these with the `id` tiebreaker already appended. */
export interface SortKey {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}
