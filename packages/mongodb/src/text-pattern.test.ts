import { describe, expect, it } from 'vitest';
import { compileFilter } from './compile-filter.js';
import { textPattern } from './text-pattern.js';

describe('textPattern', () => {
  it('escapes case-sensitive text and anchors startsWith and endsWith', () => {
    expect(textPattern('contains', 'a.b', false)).toBe('a\\.b');
    expect(textPattern('startsWith', 'a', false)).toBe('^a');
    expect(textPattern('endsWith', 'a$', false)).toBe('a\\$(?![\\s\\S])');
  });

  it('folds ASCII letters only, by spelling both cases', () => {
    expect(textPattern('contains', 'Ad-É', true)).toBe('[aA][dD]-É');
    expect(textPattern('startsWith', 'ß.', true)).toBe('^ß\\.');
  });

  it('matches in JavaScript as the SQL backends do', () => {
    const match = (pattern: string, value: string) => new RegExp(pattern).test(value);
    expect(match(textPattern('contains', 'ada', true), 'Lady ADA')).toBe(true);
    expect(match(textPattern('contains', 'é', true), 'É')).toBe(false);
    expect(match(textPattern('endsWith', 'x', false), 'x\n')).toBe(false);
    expect(match(textPattern('endsWith', 'x', false), 'ax')).toBe(true);
  });
});

describe('compileFilter: like conditions', () => {
  it('compiles endsWith and case-insensitive likes to $regex without options', () => {
    expect(
      compileFilter({ type: 'like', field: 'name', mode: 'endsWith', value: 'On', caseInsensitive: true }),
    ).toEqual({ name: { $regex: '[oO][nN](?![\\s\\S])' } });
  });
});
