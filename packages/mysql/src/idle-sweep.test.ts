import { describe, expect, it } from 'vitest';
import { pickIdleToClose } from './idle-sweep.js';

const limits = { min: 1, maxIdle: 10, idleTimeoutMs: 1_000, maxLifetimeMs: 60_000 };

describe('pickIdleToClose', () => {
  it('closes connections idle past the timeout, down to min', () => {
    const idle = [
      { idleForMs: 5_000, ageMs: 9_000 },
      { idleForMs: 2_000, ageMs: 9_000 },
      { idleForMs: 10, ageMs: 9_000 },
    ];
    expect(pickIdleToClose(idle, 3, limits)).toEqual(['idle', 'idle', undefined]);
    expect(pickIdleToClose(idle, 3, { ...limits, min: 2 })).toEqual(['idle', undefined, undefined]);
    // Connections in use count towards min.
    expect(pickIdleToClose(idle, 5, { ...limits, min: 3 })).toEqual(['idle', 'idle', undefined]);
    expect(pickIdleToClose(idle, 3, { ...limits, idleTimeoutMs: 0 })).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('closes idle connections beyond maxIdle at once, and any past their lifetime', () => {
    const fresh = { idleForMs: 0, ageMs: 0 };
    expect(pickIdleToClose([fresh, fresh, fresh], 3, { ...limits, maxIdle: 1 })).toEqual([
      'idle',
      'idle',
      undefined,
    ]);
    const old = { idleForMs: 0, ageMs: 60_000 };
    expect(pickIdleToClose([old, fresh], 2, { ...limits, min: 2 })).toEqual(['lifetime', undefined]);
    expect(pickIdleToClose([old], 1, { ...limits, maxLifetimeMs: 0 })).toEqual([undefined]);
  });
});
