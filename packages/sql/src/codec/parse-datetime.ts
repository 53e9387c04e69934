const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a datetime that a driver returned as text: MySQL's `2024-01-02 03:04:05.678` (no zone: berth
 * stores UTC) or PostgreSQL's `2024-01-02 03:04:05.678+00`. Digits past milliseconds are dropped.
 * Returns `undefined` for anything else.
 */
export function parseDatetime(text: string): Date | undefined {
  const match = DATETIME.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  let offset = zone.toUpperCase();
  if (offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    offset = `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
  }
  const result = new Date(`${date}T${time}.${millis}${offset}`);
  return Number.isNaN(result.getTime()) ? undefined : result;
}
