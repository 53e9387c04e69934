/** What a driver connection returns for one raw statement. */
export interface RawResult {
  /** The rows as the driver decoded them (no entity decoding); empty for statements without rows. */
  readonly rows: Record<string, unknown>[];
  /** Rows inserted, updated (matched) or deleted; 0 for statements that change nothing. */
  readonly affectedRows: number;
}
