import { describe, expectTypeOf, it } from 'vitest';
import { type RowOf, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { Session } from '../session.js';
import type { UnitOfWork } from '../unit-of-work/unit-of-work.js';

const Product = defineEntity('tl_products', { id: field.id(), title: field.string() });
declare const db: Session;
declare const uow: UnitOfWork;

// Type-only checks: the functions are never called, tsc (the typecheck script) judges them.
describe('loader types', () => {
  it('load gives the row or null; loadMany an array of them; ids are strings', () => {
    const typed = async () => {
      expectTypeOf(await db.loader(Product).load('x')).toEqualTypeOf<RowOf<typeof Product> | null>();
      expectTypeOf(await uow.loader(Product).loadMany(['x'])).toEqualTypeOf<
        (RowOf<typeof Product> | null)[]
      >();
      // @ts-expect-error an id is a string
      await db.loader(Product).load(1);
    };
    void typed;
  });
});
