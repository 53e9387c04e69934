import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { etagOf, hasVersionPrecondition, parseIfMatch } from './etag.js';

describe('ETag and If-Match', () => {
  it('an ETag is the quoted version', () => {
    expect(etagOf(1)).toBe('"1"');
    expect(etagOf(42)).toBe('"42"');
  });

  it('reads one strong tag, *, or nothing', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch('"7"')).toBe(7);
    expect(parseIfMatch(' "7" ')).toBe(7);
    expect(hasVersionPrecondition('"7"')).toBe(true);
    expect(hasVersionPrecondition('*')).toBe(false);
    expect(hasVersionPrecondition('junk')).toBe(false);
  });

  it.each(['7', 'W/"7"', '"0"', '"-1"', '"07"', '"1.0"', '"a"', '""', '"1", "2"', '"99999999999999999"'])(
    'refuses %s with a 400',
    (header) => {
      expect(() => parseIfMatch(header)).toThrow(ApiError);
      try {
        parseIfMatch(header);
      } catch (error) {
        expect((error as ApiError).status).toBe(400);
        expect((error as ApiError).code).toBe('VALIDATION');
      }
    },
  );
});
