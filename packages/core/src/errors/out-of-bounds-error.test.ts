import { describe, expect, it } from 'vitest';
import { BerthError } from './berth-error.js';
import { OutOfBoundsError } from './out-of-bounds-error.js';

describe('OutOfBoundsError', () => {
  it('is a non-retryable BerthError with code OUT_OF_BOUNDS naming the entity, fields, row or row count', () => {
    const one = new OutOfBoundsError('items', ['stock'], 'id-1');
    expect(one).toBeInstanceOf(BerthError);
    expect(one).toMatchObject({ name: 'OutOfBoundsError', code: 'OUT_OF_BOUNDS', retryable: false });
    expect(one.message).toBe(
      'items "id-1": the change would take stock out of its declared range; nothing was written',
    );
    const many = new OutOfBoundsError('items', ['stock', 'price'], undefined, 3);
    expect(many).toMatchObject({ fields: ['stock', 'price'], id: undefined, rows: 3 });
    expect(many.message).toBe(
      'items: the change would take stock, price out of its declared range on 3 rows; nothing was written',
    );
  });
});
