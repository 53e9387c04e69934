/** One SQL statement ready for the driver: the text with placeholders, and the values they bind in order. */
export interface CompiledStatement {
  /** The statement's text, with the dialect's placeholders (`$1` or `?`) where values go. */
  readonly sql: string;
  /** The values of the placeholders, in order, encoded for the driver. */
  readonly params: readonly unknown[];
}
