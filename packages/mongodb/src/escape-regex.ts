/**
 * Escapes every character that is syntax in a regular expression, so the pattern matches `text`
 * literally in both PCRE (the server's `$regex`) and JavaScript. Only syntax characters are escaped:
 * an escaped letter or digit means something else in PCRE, so identity escapes are avoided.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
