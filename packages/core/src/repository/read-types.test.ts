import { describe, expectTypeOf, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { RowOf } from '../entity/define-entity.js';
import type { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import type { Page } from './page.js';
import type { Repository } from './repository.js';

const Person = defineEntity('people', {
  id: field.id(),
  name: field.string(),
  salary: field.integer(),
  nick: field.string().nullable(),
  hiredAt: field.datetime(),
  meta: field.json<{ tags: string[] }>(),
});
type P = RowOf<typeof Person>;
declare const repo: Repository<typeof Person>;
declare const uow: UnitOfWork;

// Type-only checks: the functions are never called, tsc (the typecheck script) judges them.
describe('read types', () => {
  it('select narrows the row type of find, findById, getById, findOne and stream', () => {
    const typed = () => {
      expectTypeOf(repo.find({ select: { id: true, name: true } })).resolves.toEqualTypeOf<
        Page<{ id: string; name: string }>
      >();
      expectTypeOf(repo.find()).resolves.toEqualTypeOf<Page<P>>();
      expectTypeOf(repo.find({ where: { name: 'a' } })).resolves.toEqualTypeOf<Page<P>>();
      expectTypeOf(repo.findById('x', { select: { nick: true } })).resolves.toEqualTypeOf<{
        nick: string | null;
      } | null>();
      expectTypeOf(repo.findById('x')).resolves.toEqualTypeOf<P | null>();
      expectTypeOf(repo.getById('x', { select: { meta: true } })).resolves.toEqualTypeOf<{
        meta: { tags: string[] };
      }>();
      expectTypeOf(repo.findOne({ name: 'a' }, 'name', { select: { salary: true } })).resolves.toEqualTypeOf<{
        salary: number;
      } | null>();
      expectTypeOf(repo.stream({ select: { hiredAt: true } })).toEqualTypeOf<
        AsyncGenerator<{ hiredAt: Date }, void, undefined>
      >();
      expectTypeOf(repo.stream()).toEqualTypeOf<AsyncGenerator<P, void, undefined>>();
    };
    void typed;
  });

  it('refuses unknown fields, non-true values, and select in a unit of work', () => {
    const refused = () => {
      // @ts-expect-error an unknown field in select
      repo.find({ select: { id: true, bogus: true } });
      // @ts-expect-error select values are true
      repo.find({ select: { id: false } });
      // @ts-expect-error an unknown field in findById's select
      repo.findById('x', { select: { nope: true } });
      // @ts-expect-error a unit of work tracks whole rows
      uow.find(Person, { select: { id: true } });
    };
    void refused;
  });

  it('types filters, locks, limits and batch sizes', () => {
    const typed = () => {
      repo.find({ where: { name: { endsWith: 'a', mode: 'insensitive' }, salary: { between: [1, 2] } } });
      repo.find({
        where: { nick: { not: { contains: 'x' } }, hiredAt: { between: [new Date(), new Date()] } },
      });
      repo.find({ lock: 'forUpdate', limit: 'all' });
      repo.findById('x', { lock: { mode: 'forShare', onLocked: 'skipLocked' } });
      repo.stream({ batchSize: 100, where: { salary: { gt: 1 } } });
      // @ts-expect-error mode applies to string fields only
      repo.find({ where: { salary: { mode: 'insensitive' } } });
      // @ts-expect-error endsWith applies to string fields only
      repo.find({ where: { salary: { endsWith: '1' } } });
      // @ts-expect-error between takes a pair of the field's type
      repo.find({ where: { salary: { between: ['1', '2'] } } });
      // @ts-expect-error an unknown lock mode
      repo.find({ lock: 'exclusive' });
      // @ts-expect-error an unknown onLocked
      repo.find({ lock: { mode: 'forUpdate', onLocked: 'later' } });
      // @ts-expect-error limit is a number or 'all'
      repo.find({ limit: 'none' });
    };
    void typed;
  });
});
