import { describe, expect, it } from 'vitest';
import { defineEntity } from '../../entity/define-entity.js';
import { field } from '../../entity/field.js';
import { belongsTo, hasMany } from '../../entity/relation-definitions.js';
import { ValidationError } from '../../errors/validation-error.js';
import { defineRelations } from '../define-relations.js';
import { includeShape } from './include-shape.js';
import { PLANS_PER_ENTITY, planIncludeCached } from './plan-cache.js';

const Shop = defineEntity('pc_shops', { id: field.id(), name: field.string() });
const Item = defineEntity('pc_items', {
  id: field.id(),
  shop: belongsTo(() => Shop),
  title: field.string(),
  rank: field.integer(),
});
defineRelations(Shop, { items: hasMany(() => Item, 'shop') });

describe('planIncludeCached', () => {
  it('plans a repeated include shape once and hands back the same frozen plan', () => {
    const first = planIncludeCached(Shop, { items: { orderBy: 'rank', include: { shop: true } } });
    // Another object with the same content: the same plan, not a new one.
    const again = planIncludeCached(Shop, { items: { orderBy: 'rank', include: { shop: true } } });
    expect(again).toBe(first);
    expect(first[0]).toMatchObject({ name: 'items', targetKey: 'shopId', many: true });
    expect(first[0]!.orderBy).toEqual([
      { field: 'rank', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ]);
    expect(first[0]!.children[0]).toMatchObject({ name: 'shop', parentKey: 'shopId', targetKey: 'id' });
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(Object.isFrozen(first[0]!.orderBy)).toBe(true);
    expect(Object.isFrozen(first[0]!.children[0])).toBe(true);
  });

  it('keys plans by content: an include object changed between reads is planned again', () => {
    const include: { items: { orderBy: string; limit?: number } } = { items: { orderBy: 'rank' } };
    const byRank = planIncludeCached(Shop, include);
    include.items.orderBy = '-rank';
    include.items.limit = 3;
    const changed = planIncludeCached(Shop, include);
    expect(changed).not.toBe(byRank);
    expect(changed[0]!.orderBy[0]).toEqual({ field: 'rank', direction: 'desc' });
    expect(changed[0]!.limit).toBe(3);
    expect(byRank[0]!.orderBy[0]).toEqual({ field: 'rank', direction: 'asc' });
  });

  it('plans an include with a where on every read, with its own values', () => {
    const a = planIncludeCached(Shop, { items: { where: { title: 'a' } } });
    const b = planIncludeCached(Shop, { items: { where: { title: 'b' } } });
    expect(a[0]!.where).toMatchObject({ type: 'compare', field: 'title', value: 'a' });
    expect(b[0]!.where).toMatchObject({ type: 'compare', field: 'title', value: 'b' });
  });

  it('refuses an invalid include on every read (nothing invalid is cached)', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => planIncludeCached(Shop, { items: { orderBy: 'nope' } })).toThrow(ValidationError);
      expect(() => planIncludeCached(Shop, { items: { limit: 0 } })).toThrow(ValidationError);
      expect(() => planIncludeCached(Shop, { itemz: true })).toThrow(/no relation "itemz"/);
      expect(() => planIncludeCached(Shop, { items: { include: { shop: { limit: 1 } } } })).toThrow(
        /to-many/,
      );
    }
  });

  it('keeps a plan per entity, so one shape on two entities plans each', () => {
    const onItem = planIncludeCached(Item, { shop: true });
    expect(onItem[0]).toMatchObject({ name: 'shop', target: Shop });
    expect(() => planIncludeCached(Shop, { shop: true })).toThrow(/no relation "shop"/);
  });

  it('bounds the plans kept per entity, dropping the oldest', () => {
    const first = planIncludeCached(Shop, { items: { limit: 1 } });
    for (let limit = 2; limit <= PLANS_PER_ENTITY + 1; limit++) planIncludeCached(Shop, { items: { limit } });
    expect(planIncludeCached(Shop, { items: { limit: 1 } })).not.toBe(first);
  });
});

describe('includeShape', () => {
  it('tells apart includes that differ in any part', () => {
    const includes: unknown[] = [
      { items: true },
      { items: {} },
      { items: { orderBy: 'rank' } },
      { items: { orderBy: ['rank'] } },
      { items: { orderBy: '-rank' } },
      { items: { limit: 1 } },
      { items: { limit: 11 } },
      { items: { include: { shop: true } } },
      { items: true, shop: true },
      { shop: true, items: true },
      { 'a:1b': true },
      { a: { orderBy: '1b' } },
      { items: { orderBy: ['a', 'b'] } },
      { items: { orderBy: ['a,b'] } },
    ];
    const keys = includes.map((include) => includeShape(include));
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(new Set(keys).size).toBe(includes.length);
  });

  it('gives no key to what depends on more than names, orders and limits', () => {
    expect(includeShape({ items: { where: { title: 'a' } } })).toBeUndefined();
    expect(includeShape({ items: { limit: '1' } })).toBeUndefined();
    expect(includeShape({ items: { orderBy: 1 } })).toBeUndefined();
    expect(includeShape({ items: { take: 1 } })).toBeUndefined();
    expect(includeShape({ items: false })).toBeUndefined();
    expect(includeShape([])).toBeUndefined();
    expect(includeShape(new (class {})())).toBeUndefined();
  });

  it('treats an option set to undefined as absent (it plans the same)', () => {
    expect(includeShape({ items: { where: undefined, limit: undefined } })).toBe(includeShape({ items: {} }));
  });
});
