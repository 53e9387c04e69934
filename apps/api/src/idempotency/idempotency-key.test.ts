import { describe, expect, it } from 'vitest';
import { ApiError } from '../api-error.js';
import { canonicalJson, requestFingerprint } from './fingerprint.js';
import { parseIdempotencyKey } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('accepts 1..255 visible ASCII characters and nothing else', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8"')).toBe('"8e03978e-40d5-43e8"');
    expect(parseIdempotencyKey('~'.repeat(255))).toHaveLength(255);
    for (const bad of ['', ' ', 'a b', 'x'.repeat(256), 'é', 'a\tb', '\u007f', ['a', 'b']]) {
      expect(() => parseIdempotencyKey(bad), JSON.stringify(bad)).toThrow(ApiError);
    }
  });
});

describe('requestFingerprint', () => {
  it('ignores member order and spacing, and tells method, path and body apart', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    const base = requestFingerprint('POST', '/users', { a: 1, b: 2 });
    expect(requestFingerprint('post', '/users', { b: 2, a: 1 })).toBe(base);
    expect(requestFingerprint('PATCH', '/users', { a: 1, b: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/employees', { a: 1, b: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/users', { a: 1, b: 3 })).not.toBe(base);
    expect(requestFingerprint('DELETE', '/users/1', undefined)).toMatch(/^[0-9a-f]{64}$/);
  });
});
