import type { LikeMode } from '@berth/core';
import { escapeRegex } from './escape-regex.js';

const ASCII_LETTER = /[A-Za-z]/;

/**
 * The `$regex` for a `like` condition. Case-insensitive matching spells both cases of each ASCII letter
 * (`[aA]`) instead of using the `i` option, so only ASCII folds, exactly as on the SQL backends: `'É'`
 * never matches `'é'` (PCRE's `i` would fold it) and `'ß'` only matches `'ß'`. The end of the value is
 * `(?![\s\S])`, which means "nothing follows" in PCRE (the server) and JavaScript (mingo) alike; `$`
 * would also match before a final newline in PCRE.
 */
export function textPattern(mode: LikeMode, value: string, caseInsensitive: boolean): string {
  let body = '';
  if (caseInsensitive) {
    for (const char of value) {
      body += ASCII_LETTER.test(char) ? `[${char.toLowerCase()}${char.toUpperCase()}]` : escapeRegex(char);
    }
  } else body = escapeRegex(value);
  if (mode === 'startsWith') return `^${body}`;
  if (mode === 'endsWith') return `${body}(?![\\s\\S])`;
  return body;
}
