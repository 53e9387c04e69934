import { describe, expect, it } from 'vitest';
import { compileProjection } from './compile-projection.js';

describe('compileProjection', () => {
  it('includes the selected fields, id as _id', () => {
    expect(compileProjection(['id', 'name'])).toEqual({ _id: 1, name: 1 });
  });

  it('excludes _id when id is not selected', () => {
    expect(compileProjection(['name', 'salary'])).toEqual({ name: 1, salary: 1, _id: 0 });
  });
});
