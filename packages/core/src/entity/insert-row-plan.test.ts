import { describe, expect, it } from 'vitest';
import { defineEntity } from './define-entity.js';
import { field } from './field.js';
import { KEY, ROLE, insertRowPlan } from './insert-row-plan.js';

const Made = defineEntity('plan_made', {
  id: field.id(),
  name: field.string(),
  price: field.decimal({ precision: 6, scale: 2 }),
  blob: field.bytes().nullable(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});
const Supplied = defineEntity('plan_supplied', {
  id: field.id({ strategy: 'supplied' }),
  name: field.string(),
});
const Generated = defineEntity('plan_generated', {
  id: field.id({ strategy: 'increment' }),
  name: field.string(),
});

describe('insertRowPlan', () => {
  it('gives each field its role, in declaration order', () => {
    const plan = insertRowPlan(Made);
    expect(plan.names).toEqual(Made.fieldNames);
    expect(plan.metas).toEqual(Made.fieldNames.map((name) => Made.fields[name]));
    expect([...plan.roles]).toEqual([
      ROLE.uuidId,
      ROLE.caller,
      ROLE.caller,
      ROLE.caller,
      ROLE.version,
      ROLE.stamp,
      ROLE.stamp,
    ]);
    expect(plan.reforms).toEqual([false, false, true, true, false, false, false]);
    expect(plan.generated).toBe(false);
    expect(insertRowPlan(Supplied).roles[0]).toBe(ROLE.suppliedId);
    expect(insertRowPlan(Generated).roles[0]).toBe(ROLE.generatedId);
    expect(insertRowPlan(Generated).generated).toBe(true);
  });

  it('says what each key is to a caller, and knows no other key', () => {
    const { keys } = insertRowPlan(Made);
    expect(keys.get('name')).toBe(KEY.caller);
    expect(keys.get('id')).toBe(KEY.managed);
    expect(keys.get('version')).toBe(KEY.managed);
    expect(keys.get('updatedAt')).toBe(KEY.managed);
    expect(keys.get('toString')).toBeUndefined();
    expect(insertRowPlan(Supplied).keys.get('id')).toBe(KEY.suppliedId);
    expect(insertRowPlan(Generated).keys.get('id')).toBe(KEY.managed);
  });

  it('is made once per entity', () => {
    expect(insertRowPlan(Made)).toBe(insertRowPlan(Made));
  });
});
