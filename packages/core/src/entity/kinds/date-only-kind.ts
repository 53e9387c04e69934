const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The problem with a date-only value, or undefined: a `YYYY-MM-DD` string naming a real calendar day
 * between the years 1000 and 9999 (MySQL's DATE range; a string, because JavaScript has no date-only type
 * and a `Date` is an instant whose day depends on a time zone).
 */
export function dateOnlyProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a date string YYYY-MM-DD';
  const match = DATE_TEXT.exec(value);
  if (!match) return 'must be a date string YYYY-MM-DD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return 'must be between the years 1000 and 9999';
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return 'must be a real calendar date';
  return undefined;
}

/**
 * The `YYYY-MM-DD` of a `Date` a driver made for a DATE column: drivers build it at midnight UTC (mysql2
 * with `timezone: 'Z'`, PGlite) or at local midnight (pg), so the day is read in whichever of the two
 * the instant is a midnight of.
 */
export function dateOnlyFromDriverDate(value: Date): string {
  const utc = value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0;
  const [y, m, d] = utc
    ? [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()]
    : [value.getFullYear(), value.getMonth() + 1, value.getDate()];
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
