/** One normalized sort key. Adapters receive these with the `id` tiebreaker already appended. */
export interface SortKey {
  /** The declared field sorted on (never nullable or JSON: the core refuses those). */
  readonly field: string;
  /** `'asc'` from `"name"`, `'desc'` from `"-name"`. */
  readonly direction: 'asc' | 'desc';
}
