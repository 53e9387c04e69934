import type { LikeMode } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * Makes the LIKE pattern for `contains`, `startsWith` or `endsWith`: the escape character, `%` and `_` in the value
 * are escaped so they match themselves. The pattern is bound as a parameter and the statement names the
 * escape character explicitly (`ESCAPE '!'`), so MySQL's backslash rules in string literals never apply.
 */
export function likePattern(dialect: SqlDialect, mode: LikeMode, value: string): string {
  const marker = dialect.likeEscape;
  let escaped = '';
  for (const char of value) {
    escaped += char === marker || char === '%' || char === '_' ? marker + char : char;
  }
  if (mode === 'endsWith') return `%${escaped}`;
  return mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
}
