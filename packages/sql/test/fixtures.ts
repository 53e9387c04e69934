import { defineEntity, field } from '@berth/core';

/** An entity with one field of every kind, shared by the unit tests (not exported from the package). */
export const Employee = defineEntity(
  'employees',
  {
    id: field.id(),
    email: field.string({ max: 120 }).unique(),
    name: field.string({ min: 1, max: 200 }).index(),
    nickname: field.string().nullable(),
    salary: field.integer({ min: 0 }),
    rating: field.number(),
    active: field.boolean(),
    hiredAt: field.datetime(),
    profile: field.json<{ tags: string[] }>(),
    version: field.version(),
    createdAt: field.createdAt(),
    updatedAt: field.updatedAt(),
  },
  { indexes: [{ fields: ['name', 'salary'], unique: true }] },
);
