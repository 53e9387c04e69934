/** Node socket and DNS error codes meaning the connection is gone or was never made. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages drivers use for a connection that died, when they give no code. */
const LOST_MESSAGES = [
  /connection terminated/i,
  /connection (?:is )?closed/i,
  /closed state/i,
  /not queryable/i,
  /socket hang up/i,
];

/**
 * True when an error says the network connection failed (reset, refused, timed out, terminated), whatever
 * the driver: such errors carry a Node socket code, or only a message.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return typeof message === 'string' && LOST_MESSAGES.some((pattern) => pattern.test(message));
}
