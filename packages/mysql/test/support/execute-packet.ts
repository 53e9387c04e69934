/**
 * The next COM_STMT_EXECUTE packet, for a fault proxy's patterns: a 4-byte header (3 bytes of length, 1 of
 * sequence), then the command byte 0x17. Values are bound through server-side prepared statements, so the
 * SQL text travels in the PREPARE, and the reply that tells the client a write was done is the EXECUTE's.
 * (Built from the code point: a literal control character in a regular expression reads as a typo.)
 */
export const EXECUTE_PACKET = new RegExp(`^[\\s\\S]{4}${String.fromCharCode(0x17)}`);

/**
 * The next COM_QUERY packet (command byte 0x03) of an INSERT, UPDATE or DELETE: berth sends a write that
 * returns no rows as text with its values written in (`rowlessWriteText`), so the reply that tells the client
 * such a write was done is that packet's.
 */
export const WRITE_PACKET = new RegExp(`^[\\s\\S]{4}${String.fromCharCode(0x03)}(?:INSERT|UPDATE|DELETE) `);
