import { Binary, Long, Timestamp } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { comparePositions, formatPosition, mergePositions, readPosition } from './cluster-time-position.js';

const hash = new Binary(Buffer.from('0123456789abcdefghij'));
const at = (t: number, i: number, ct = { t, i }) =>
  formatPosition({
    operationTime: new Timestamp({ t, i }),
    clusterTime: { clusterTime: new Timestamp(ct), signature: { hash, keyId: Long.fromNumber(7) } },
  });

describe('MongoDB causal positions', () => {
  it('round-trip an operation time and a signed cluster time through their text', () => {
    const text = at(1764675600, 12, { t: 1764675601, i: 3 });
    expect(text).toBe(
      `1764675600.12.1764675601.3.7.${Buffer.from('0123456789abcdefghij').toString('base64url')}`,
    );
    const back = readPosition(text)!;
    expect(back.operationTime.equals(new Timestamp({ t: 1764675600, i: 12 }))).toBe(true);
    expect(back.clusterTime!.clusterTime.equals(new Timestamp({ t: 1764675601, i: 3 }))).toBe(true);
    expect(back.clusterTime!.signature!.keyId.toString()).toBe('7');
    expect(Buffer.from(back.clusterTime!.signature!.hash.buffer).toString()).toBe('0123456789abcdefghij');
    expect(formatPosition(back)).toBe(text);
    expect(formatPosition(readPosition('5.6')!)).toBe('5.6');
  });

  it('refuse malformed text (it may come from a client)', () => {
    for (const bad of [
      '',
      '1',
      '1.',
      '1.2.3',
      'a.b',
      '1.2.3.4.-1.x',
      '4294967296.1',
      '1.2.3.4.5.!!',
      ' 1.2',
    ]) {
      expect(readPosition(bad)).toBeUndefined();
    }
  });

  it('order by operation time, and merge to the later operation time and the later cluster time', () => {
    expect(comparePositions(at(10, 2), at(10, 1))).toBeGreaterThan(0);
    expect(comparePositions(at(9, 5), at(10, 1))).toBeLessThan(0);
    expect(comparePositions(at(10, 1), at(10, 1))).toBe(0);
    const merged = readPosition(mergePositions(at(10, 2, { t: 10, i: 2 }), at(10, 1, { t: 11, i: 1 })))!;
    expect(merged.operationTime.equals(new Timestamp({ t: 10, i: 2 }))).toBe(true);
    expect(merged.clusterTime!.clusterTime.equals(new Timestamp({ t: 11, i: 1 }))).toBe(true);
    expect(mergePositions('3.1', at(2, 1))).toBe(
      `3.1.2.1.7.${Buffer.from('0123456789abcdefghij').toString('base64url')}`,
    );
  });
});
