import { describe, expect, it } from 'vitest';
import { isWellFormed, loneSurrogatePath, malformedQueryParameter } from './well-formed.js';

describe('isWellFormed and loneSurrogatePath', () => {
  it('accepts pairs and refuses lone surrogates anywhere in a string', () => {
    expect(isWellFormed('plain 😀 text')).toBe(true);
    for (const text of ['\uD800', 'a\uD83Db', '\uDE00x', 'x\uDBFF', '\uDE00\uD83D']) {
      expect(isWellFormed(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('names the first field holding one, in objects, arrays and member names', () => {
    expect(loneSurrogatePath({ name: 'ok', tags: ['a', 'b'] })).toBeUndefined();
    expect(loneSurrogatePath({ name: 'x\uD800' })).toBe('name');
    expect(loneSurrogatePath([{ name: 'ok' }, { email: '\uDC00@x.io' }])).toBe('1.email');
    expect(loneSurrogatePath({ meta: { deep: ['ok', '\uD800'] } })).toBe('meta.deep.1');
    expect(loneSurrogatePath({ 'k\uD800': 1 })).toBe('k\uD800');
    expect(loneSurrogatePath('\uD800')).toBe('(the value)');
    expect(loneSurrogatePath(undefined)).toBeUndefined();
  });
});

describe('malformedQueryParameter', () => {
  it('finds a parameter that is not UTF-8 percent-encoding', () => {
    expect(malformedQueryParameter('/employees?department=%C3%A9&limit=5')).toBeUndefined();
    expect(malformedQueryParameter('/employees')).toBeUndefined();
    expect(malformedQueryParameter('/employees?department=%ED%A0%80')).toBe('department');
    expect(malformedQueryParameter('/employees?limit=1&department=%uD800')).toBe('department');
    expect(malformedQueryParameter('/employees?dep%FFt=1')).toBe('dep%FFt');
  });
});
