import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { parsePGliteUrl } from './pglite-url.js';

describe('parsePGliteUrl', () => {
  it('reads in-memory URLs', () => {
    for (const url of [
      'pglite://memory',
      'pglite:memory',
      'pglite://',
      'pglite:',
      'PGLITE://memory',
      'pglite://:memory:',
    ]) {
      expect(parsePGliteUrl(url)).toEqual({ dataDir: undefined });
    }
  });

  it('reads relative data folders', () => {
    expect(parsePGliteUrl('pglite://./data')).toEqual({ dataDir: './data' });
    expect(parsePGliteUrl('pglite://data')).toEqual({ dataDir: 'data' });
    expect(parsePGliteUrl('pglite://../var/db')).toEqual({ dataDir: '../var/db' });
    expect(parsePGliteUrl('pglite:data/db')).toEqual({ dataDir: 'data/db' });
  });

  it('reads absolute data folders and decodes escapes', () => {
    expect(parsePGliteUrl('pglite:///var/lib/x')).toEqual({ dataDir: '/var/lib/x' });
    expect(parsePGliteUrl('pglite:///tmp/my%20db')).toEqual({ dataDir: '/tmp/my db' });
    expect(parsePGliteUrl('pglite://memory-bank')).toEqual({ dataDir: 'memory-bank' });
  });

  it('refuses other schemes and malformed escapes', () => {
    expect(() => parsePGliteUrl('postgres://localhost/db')).toThrow(ValidationError);
    expect(() => parsePGliteUrl('pglite://%zz')).toThrow(ValidationError);
  });
});
