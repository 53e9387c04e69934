import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { CausalSession, decodeSessionToken, encodeSessionToken } from './causal-session.js';
import type { ReplicationSupport } from '../driver/replication-support.js';

/** Positions as plain counters: the session's logic is the same whatever the backend's form. */
const counters: ReplicationSupport = {
  primaryPosition: async () => '0',
  replayedPosition: async () => '0',
  compare: (a, b) => Number(a) - Number(b),
  parse: (p) => (/^\d{1,12}$/.test(p) ? p : undefined),
};

describe('CausalSession', () => {
  it('only moves forward: an older position from a slower write never lowers it', () => {
    const session = new CausalSession(counters);
    expect(session.position).toBeUndefined();
    session.advance('5');
    session.advance('3');
    expect(session.position).toBe('5');
    session.advance('9');
    expect(session.position).toBe('9');
  });

  it('a lost position pins reads to the primary until the next one is recorded', () => {
    const session = new CausalSession(counters, '4');
    session.pinToPrimary();
    expect(session.pinnedToPrimary).toBe(true);
    session.advance('6');
    expect(session.pinnedToPrimary).toBe(false);
    expect(session.position).toBe('6');
  });
});

/** Positions of two independent counters, `a:b`: only partly ordered, as MariaDB's GTID domains are. */
const pairs: ReplicationSupport = {
  ...counters,
  compare: (a, b) => {
    const [a1, a2] = a.split(':').map(Number);
    const [b1, b2] = b.split(':').map(Number);
    if (a1! === b1! && a2! === b2!) return 0;
    return a1! >= b1! && a2! >= b2! ? 1 : -1;
  },
  merge: (a, b) => {
    const [a1, a2] = a.split(':').map(Number);
    const [b1, b2] = b.split(':').map(Number);
    return `${Math.max(a1!, b1!)}:${Math.max(a2!, b2!)}`;
  },
};

describe('CausalSession with partly ordered positions', () => {
  it('merges positions neither of which is past the other', () => {
    const session = new CausalSession(pairs, '5:1');
    session.advance('3:4');
    expect(session.position).toBe('5:4');
    session.advance('4:4');
    expect(session.position).toBe('5:4');
  });
});

describe('session tokens', () => {
  it('round-trip a position, named by backend', () => {
    const token = encodeSessionToken('postgres', new CausalSession(counters, '42'));
    expect(token).toBe('postgres.42');
    expect(decodeSessionToken('postgres', counters, token!)).toBe('42');
    expect(encodeSessionToken('postgres', new CausalSession(counters))).toBeUndefined();
  });

  it('refuse malformed tokens and tokens of another backend with ValidationError', () => {
    for (const token of ['', 'postgres.', 'postgres.x', 'mysql.42', '42', `postgres.${'1'.repeat(300)}`]) {
      expect(() => decodeSessionToken('postgres', counters, token)).toThrow(ValidationError);
    }
  });
});
