import { ApiError } from './api-error.js';

/**
 * The largest version any backend stores: versions are 32-bit signed integers (PostgreSQL and PGlite
 * `integer`, MySQL `int`), the same on MongoDB for one contract. A larger `If-Match` can never match.
 */
export const MAX_VERSION = 2_147_483_647;

/** The ETag of a stored version: a strong tag, `"<version>"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Reads `If-Match` into the version it names. Accepted: absent (no precondition), `*` (any current version,
 * which for an existing row is no precondition at all), or exactly one strong tag `"<positive integer>"`.
 * Refused with a 400: weak tags (`W/"3"`), since If-Match compares strongly and this service never issues
 * weak tags; lists of tags; anything else. Refusing rather than answering 412 tells a client its header is
 * wrong instead of letting it believe someone else changed the row.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  const trimmed = text.trim();
  if (trimmed === '*') return undefined;
  const match = /^"([1-9][0-9]{0,15})"$/.exec(trimmed);
  const version = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new ApiError(400, 'VALIDATION', 'If-Match must be one strong ETag, "<version>", or *', [
      { field: 'If-Match', message: 'must be "<positive integer>" or *' },
    ]);
  }
  return version;
}

/** True when `If-Match` names a version, so a version mismatch is a failed precondition (412). */
export function hasVersionPrecondition(header: string | string[] | undefined): boolean {
  try {
    return parseIfMatch(header) !== undefined;
  } catch {
    return false;
  }
}
