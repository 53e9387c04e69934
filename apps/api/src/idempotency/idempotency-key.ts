import { ApiError } from '../api-error.js';

/** The request header naming an idempotency key (IETF httpapi "Idempotency-Key" draft). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set to `true` on a response replayed from a stored key. */
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotency-replayed';

/** 1 to 255 visible ASCII characters (0x21..0x7E), as the contract allows. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads `Idempotency-Key`: undefined when absent, the key when it is 1..255 visible ASCII characters, a
 * 400 VALIDATION otherwise (empty, too long, spaces, control or non-ASCII characters, or the header sent
 * twice, which would make the key ambiguous).
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && KEY.test(header)) return header;
  throw new ApiError(400, 'VALIDATION', 'Idempotency-Key must be 1 to 255 visible ASCII characters', [
    { field: 'Idempotency-Key', message: 'must be one value of 1 to 255 visible ASCII characters' },
  ]);
}
