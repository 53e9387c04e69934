/**
 * The next COM_STMT_EXECUTE packet, for a fault proxy's patterns: a 4-byte header (3 bytes of length, 1 of
 * sequence), then the command byte 0x17. Values are bound through server-side prepared statements, so the
 * SQL text travels in the PREPARE, and the reply that tells the client a write was done is the EXECUTE's.
 * (Built from the code point: a literal control character in a regular expression reads as a typo.)
 */
export const EXECUTE_PACKET = new RegExp(`^[\\s\\S]{4}${String.fromCharCode(0x17)}`);
