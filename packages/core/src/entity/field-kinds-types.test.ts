import { describe, expectTypeOf, it } from 'vitest';
import type { QueryableField } from './define-entity.js';
import { type InsertOf, type PatchOf, type RowOf, defineEntity } from './define-entity.js';
import { field } from './field.js';

const Asset = defineEntity('assets', {
  id: field.id(),
  status: field.enum(['draft', 'live']),
  tier: field.enum(['gold', 'silver']).nullable(),
  price: field.decimal({ precision: 12, scale: 2 }),
  serial: field.bigint(),
  since: field.date(),
  blob: field.bytes(),
});

describe('field kind types', () => {
  it('enum is the literal union; decimal and date-only are strings; bigint is bigint; bytes Uint8Array', () => {
    expectTypeOf<RowOf<typeof Asset>>().toEqualTypeOf<{
      id: string;
      status: 'draft' | 'live';
      tier: 'gold' | 'silver' | null;
      price: string;
      serial: bigint;
      since: string;
      blob: Uint8Array;
    }>();
    expectTypeOf<InsertOf<typeof Asset>['status']>().toEqualTypeOf<'draft' | 'live'>();
    expectTypeOf<PatchOf<typeof Asset>['serial']>().toEqualTypeOf<bigint | undefined>();
    // @ts-expect-error: not one of the values
    const bad: InsertOf<typeof Asset>['status'] = 'archived';
    void bad;
    // @ts-expect-error: a bigint field takes no number
    const num: InsertOf<typeof Asset>['serial'] = 1;
    void num;
  });

  it('decimal and bytes fields cannot be filtered or sorted on; enum, bigint and date-only can', () => {
    expectTypeOf<QueryableField<typeof Asset>>().toEqualTypeOf<
      'id' | 'status' | 'tier' | 'serial' | 'since'
    >();
  });
});
