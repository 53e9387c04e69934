/** The default most bytes of a bytes field (64 KiB - 1, MySQL's BLOB). */
export const DEFAULT_MAX_BYTES = 65_535;

/** The problem with a bytes value, or undefined: a `Uint8Array` (a Node.js `Buffer` is one) of at most `max` bytes. */
export function bytesProblem(max: number, value: unknown): string | undefined {
  if (!(value instanceof Uint8Array)) return 'must be a Uint8Array';
  if (value.byteLength > max) return `must be at most ${max} bytes`;
  return undefined;
}

/** A plain `Uint8Array` copy of bytes a driver returned (a Buffer, or a view into a larger buffer). */
export function copyBytes(value: Uint8Array): Uint8Array {
  return Uint8Array.from(value);
}

/** Whether two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
