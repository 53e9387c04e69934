import { describe, expect, it } from 'vitest';
import { type Entity, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import { belongsTo } from '../entity/relation-definitions.js';
import { commitOrder } from './commit-order.js';

const Customer = defineEntity('co_customers', { id: field.id() });
const Order = defineEntity('co_orders', { id: field.id(), customer: belongsTo(() => Customer) });
const Line = defineEntity('co_lines', { id: field.id(), order: belongsTo(() => Order) });
const Folder = defineEntity('co_folders', {
  id: field.id(),
  parent: belongsTo((): Entity => Folder, { nullable: true }),
});
const Unrelated = defineEntity('co_unrelated', { id: field.id() });

describe('commitOrder', () => {
  it('puts every entity after the entities it references, keeping the given order otherwise', () => {
    expect(commitOrder([Line, Unrelated, Order, Customer]).map((e) => e.name)).toEqual([
      'co_customers',
      'co_orders',
      'co_lines',
      'co_unrelated',
    ]);
    expect(commitOrder([Unrelated, Line]).map((e) => e.name)).toEqual(['co_unrelated', 'co_lines']);
    expect(commitOrder([Folder, Customer])).toEqual([Folder, Customer]);
  });

  it('refuses entities that reference each other, naming the cycle', () => {
    const A: Entity = defineEntity('co_a', { id: field.id(), b: belongsTo((): Entity => B) });
    const B: Entity = defineEntity('co_b', { id: field.id(), a: belongsTo(() => A) });
    expect(() => commitOrder([A, B])).toThrow(ValidationError);
    expect(() => commitOrder([A, B])).toThrow(/co_a -> co_b -> co_a/);
    expect(commitOrder([A])).toEqual([A]);
  });
});
