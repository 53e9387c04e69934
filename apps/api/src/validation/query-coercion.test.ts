import { describe, expect, it } from 'vitest';
import { queryCoercer } from './query-coercion.js';

const coerce = queryCoercer({
  type: 'object',
  properties: {
    limit: { type: 'integer' },
    active: { type: 'boolean' },
    percent: { type: 'number' },
    q: { type: 'string' },
  },
});

describe('queryCoercer', () => {
  it('converts plain integers, numbers and booleans', () => {
    expect(coerce({ limit: '20', active: 'false', percent: '2.5', q: '10' })).toEqual({
      limit: 20,
      active: false,
      percent: 2.5,
      q: '10',
    });
    expect(coerce({ limit: '-3' })).toEqual({ limit: -3 });
  });

  it.each(['1e3', '0x10', ' 5', '5.0', '', '+5', '99999999999999999'])(
    'leaves integer %j as text',
    (value) => {
      expect(coerce({ limit: value })).toEqual({ limit: value });
    },
  );

  it('leaves other booleans, repeated parameters and unknown parameters alone', () => {
    expect(coerce({ active: '1' })).toEqual({ active: '1' });
    expect(coerce({ active: 'TRUE' })).toEqual({ active: 'TRUE' });
    expect(coerce({ limit: ['1', '2'] })).toEqual({ limit: ['1', '2'] });
    expect(coerce({ other: '1' })).toEqual({ other: '1' });
  });
});
