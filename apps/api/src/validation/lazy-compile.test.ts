import { describe, expect, it } from 'vitest';
import { lazySerializer, lazyValidator } from './lazy-compile.js';

describe('lazy schema compilation', () => {
  it('compiles a validator on its first call, once, and forwards the failures of each call', () => {
    let compilations = 0;
    const validate = lazyValidator(() => {
      compilations += 1;
      const check = (data: unknown): boolean => {
        check.errors = data === 1 ? null : [{ message: `not 1: ${String(data)}` }];
        return data === 1;
      };
      check.errors = null as { message: string }[] | null;
      return check;
    });
    expect(compilations).toBe(0);
    expect(validate(2)).toBe(false);
    expect(validate.errors).toEqual([{ message: 'not 1: 2' }]);
    expect(validate(1)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compilations).toBe(1);
  });

  it('reports a schema the compiler refuses at the first call, and again at the next', () => {
    const validate = lazyValidator(() => {
      throw new Error('strict mode: unknown keyword');
    });
    expect(() => validate({})).toThrow('unknown keyword');
    expect(() => validate({})).toThrow('unknown keyword');
  });

  it('compiles a serializer on its first call, once', () => {
    let compilations = 0;
    const serialize = lazySerializer(() => {
      compilations += 1;
      return (data) => JSON.stringify(data);
    });
    expect(compilations).toBe(0);
    expect(serialize({ a: 1 })).toBe('{"a":1}');
    expect(serialize([2])).toBe('[2]');
    expect(compilations).toBe(1);
  });
});
