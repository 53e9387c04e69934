import { ApiError } from './api-error.js';

/**
 * Turns a date-time the schema has accepted into a Date. The schema already checked RFC 3339 and the
 * calendar; this catches what JavaScript still cannot represent (a leap second, `23:59:60`), so such a
 * value is a 400 and never an Invalid Date reaching the database.
 */
export function toDate(text: string, field: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new ApiError(400, 'VALIDATION', `${field} is not a representable date-time`, [
      { field, message: `${field} is not a representable date-time` },
    ]);
  }
  return date;
}
