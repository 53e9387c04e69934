import { describe, expect, it } from 'vitest';
import { SCENARIOS, slug } from '../src/scenarios/index.js';
import { BACKENDS } from '../src/server-control.js';

describe('the scenarios', () => {
  it('say, for every backend they do not run on, why not', () => {
    for (const scenario of SCENARIOS) {
      for (const backend of BACKENDS) {
        const applies = scenario.backends.includes(backend);
        const why = scenario.notApplicable[backend];
        expect({
          scenario: scenario.name,
          backend,
          applies,
          reason: applies || (why?.length ?? 0) > 10,
        }).toEqual({ scenario: scenario.name, backend, applies, reason: true });
        if (applies)
          expect(why, `${scenario.name} runs on ${backend} yet gives a reason not to`).toBeUndefined();
      }
    }
  });

  it('have distinct slugs, so --only can pick each one', () => {
    const slugs = SCENARIOS.map((s) => slug(s.name));
    expect(new Set(slugs).size).toBe(slugs.length);
  });
});
