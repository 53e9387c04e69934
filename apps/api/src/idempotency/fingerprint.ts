import { createHash } from 'node:crypto';

/** SHA-256 of `text`, as 64 hex digits. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object members sorted by name at every level, so member order and spacing do not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What identifies a request for an idempotency key: method, path (with its query) and the parsed body in
 * canonical form. Two requests whose JSON means the same (spacing, member order) have the same
 * fingerprint; headers such as `If-Match` are not part of it, as the draft fingerprints the payload.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const payload = body === undefined ? '' : canonicalJson(body);
  return sha256(`${method.toUpperCase()} ${url}\n${payload}`);
}
