/** One SQL statement ready for the driver: the text with placeholders, and the values they bind in order. */
export interface CompiledStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}
