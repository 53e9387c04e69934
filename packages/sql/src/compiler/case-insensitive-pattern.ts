import type { LikeMode } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

const SYNTAX = /[\\^$.*+?()[\]{}|]/;
const ASCII_LETTER = /[A-Za-z]/;

/**
 * The regular expression for a case-insensitive `contains` / `startsWith` / `endsWith`: each ASCII letter
 * becomes a class of both its cases (`[aA]`), regular-expression syntax is escaped, and every other
 * character stands for itself. Folding only ASCII is deliberate: it is the one folding PostgreSQL (whose
 * `lower()` folds only ASCII under `COLLATE "C"`), MariaDB, MySQL and MongoDB can all do identically, so
 * `'É'` never matches `'é'` and `'ß'` only matches `'ß'`, on every backend. The pattern is bound as a
 * parameter, so no SQL string-literal escaping applies to it.
 */
export function caseInsensitivePattern(dialect: SqlDialect, mode: LikeMode, value: string): string {
  let body = '';
  for (const char of value) {
    if (ASCII_LETTER.test(char)) body += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    else body += SYNTAX.test(char) ? `\\${char}` : char;
  }
  if (mode === 'startsWith') return `^${body}`;
  if (mode === 'endsWith') return `${body}${dialect.regexEnd}`;
  return body;
}
