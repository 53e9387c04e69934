/**
 * What one filter may ask of the database, whoever wrote it (filters are often built from client input).
 * Past a limit, `normalizeWhere` refuses the filter with a `ValidationError`; below them, every backend
 * compiles and runs it without exhausting the stack or the statement's parameter budget.
 */
export const FILTER_LIMITS = Object.freeze({
  /** `and`/`or`/`not` nested at most this deep. */
  maxDepth: 16,
  /** Filters in one `and` or `or` list. Use `in` for a long list of values of one field. */
  maxListFilters: 1_000,
  /** Field conditions in the whole filter, every list and level counted. */
  maxConditions: 10_000,
  /** Values in one `in` or `notIn` list. */
  maxInValues: 10_000,
});
