import { describe, expect, it } from 'vitest';
import { compareGtidPositions, mergeGtidPositions, parseGtidPosition } from './gtid-position.js';

describe('GTID positions', () => {
  it('parse to a canonical form, and refuse anything else', () => {
    expect(parseGtidPosition('0-10-42')).toBe('0-10-42');
    expect(parseGtidPosition('1-10-7,0-10-0042')).toBe('0-10-42,1-10-7');
    expect(parseGtidPosition(' 0-1-18446744073709551615 ')).toBe('0-1-18446744073709551615');
    expect(parseGtidPosition('')).toBe('');
    for (const bad of [
      '0-10',
      '0-10-x',
      '0/16B3748',
      '0-10-1,0-11-2', // two GTIDs of one domain
      '0-1-18446744073709551616', // past 2^64 - 1
      '4294967296-1-1',
      '0-10-1,',
      Array.from({ length: 65 }, (_, i) => `${i}-1-1`).join(','),
    ]) {
      expect(parseGtidPosition(bad), bad).toBeUndefined();
    }
  });

  it('compare by sequence number in every domain of the required position, whatever the server id', () => {
    expect(compareGtidPositions('0-10-42', '0-10-42')).toBe(0);
    expect(compareGtidPositions('0-10-43', '0-10-42')).toBeGreaterThan(0);
    expect(compareGtidPositions('0-10-41', '0-10-42')).toBeLessThan(0);
    // After a failover another server writes the domain; its sequence numbers continue.
    expect(compareGtidPositions('0-11-50', '0-10-42')).toBeGreaterThan(0);
    // A replica must be far enough in every domain the reader needs; extra domains do no harm.
    expect(compareGtidPositions('0-10-50,1-10-3', '0-10-42')).toBeGreaterThan(0);
    expect(compareGtidPositions('0-10-50', '0-10-42,1-10-3')).toBeLessThan(0);
    expect(compareGtidPositions('0-10-50,1-10-2', '0-10-42,1-10-3')).toBeLessThan(0);
    expect(compareGtidPositions('0-10-1', '')).toBeGreaterThan(0);
    expect(compareGtidPositions('', '')).toBe(0);
    expect(compareGtidPositions('', '0-10-1')).toBeLessThan(0);
    // Sequence numbers compare as numbers, not text.
    expect(compareGtidPositions('0-10-100', '0-10-99')).toBeGreaterThan(0);
  });

  it('merge to the least position past both, domain by domain', () => {
    expect(mergeGtidPositions('0-10-5', '0-10-9')).toBe('0-10-9');
    expect(mergeGtidPositions('0-10-9', '0-10-5')).toBe('0-10-9');
    expect(mergeGtidPositions('0-10-9,1-10-2', '1-10-4,2-10-1')).toBe('0-10-9,1-10-4,2-10-1');
    expect(mergeGtidPositions('', '0-10-1')).toBe('0-10-1');
  });

  it('throw a TypeError for a malformed position (positions reach them parsed)', () => {
    expect(() => compareGtidPositions('x', '0-1-1')).toThrow(TypeError);
    expect(() => mergeGtidPositions('0-1-1', 'x')).toThrow(TypeError);
  });
});
