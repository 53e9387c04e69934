import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from './uuidv7.js';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix millisecond timestamp at the front of a UUIDv7. */
const timestampOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
/** The 12-bit rand_a field (the counter). */
const counterOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(13, 16), 16);

afterEach(() => {
  vi.useRealTimers();
});

describe('uuidv7', () => {
  // Runs first, before anything advances the generator's clock past real time.
  it('starts with the current Unix time in milliseconds', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after);
  });

  it('has the RFC 9562 layout: 36 lowercase hex characters, version 7, variant 10', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toHaveLength(36);
      expect(id).toMatch(FORMAT);
      const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
      expect(bytes[6]! >> 4).toBe(7);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('makes 100,000 unique ids, strictly increasing as strings', () => {
    const ids: string[] = new Array(100_000);
    for (let i = 0; i < ids.length; i++) ids[i] = uuidv7();
    let previous = '';
    for (const id of ids) {
      if (!(id > previous)) expect.fail(`${id} does not sort after ${previous}`);
      previous = id;
    }
    expect(new Set(ids).size).toBe(ids.length);
    // The generator may run ahead of the clock when the counter overflows, but only by a little.
    expect(timestampOf(ids.at(-1)!)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('encodes a given clock exactly', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = Date.UTC(2200, 0, 1); // beyond anything generated so far
    vi.setSystemTime(t);
    const id = uuidv7();
    expect(timestampOf(id)).toBe(t);
    expect(id.slice(0, 13)).toBe(
      `${t.toString(16).padStart(12, '0').slice(0, 8)}-${t.toString(16).padStart(12, '0').slice(8)}`,
    );
  });

  it('stays increasing within one millisecond, carrying counter overflow into the timestamp', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = Date.UTC(2300, 0, 1);
    vi.setSystemTime(t);
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    for (const id of ids) expect(id).toMatch(FORMAT);
    expect(timestampOf(ids[0]!)).toBe(t);
    // The first counter of a millisecond leaves headroom: at most 0x7ff.
    expect(counterOf(ids[0]!)).toBeLessThanOrEqual(0x7ff);
    // 10,000 ids cannot fit in one millisecond's 4096 counter values.
    expect(timestampOf(ids.at(-1)!)).toBeGreaterThan(t);
    expect(timestampOf(ids.at(-1)!)).toBeLessThanOrEqual(t + 5);
  });

  it('stays increasing when the clock goes backwards', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = Date.UTC(2400, 0, 1);
    vi.setSystemTime(t);
    const first = uuidv7();
    vi.setSystemTime(t - 60_000);
    const second = uuidv7();
    expect(second > first).toBe(true);
    expect(timestampOf(second)).toBe(t);
    vi.setSystemTime(t + 1);
    const third = uuidv7();
    expect(third > second).toBe(true);
    expect(timestampOf(third)).toBe(t + 1);
  });

  it('is random across calls in the same millisecond beyond the counter', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2500, 0, 1));
    const tails = new Set(Array.from({ length: 1000 }, () => uuidv7().slice(19)));
    expect(tails.size).toBe(1000);
  });
});
