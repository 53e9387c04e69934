import { type DriverHooks, type StoredRow, defineEntity, field } from '@berth/core';

/** An entity with a field of every kind and each kind of index. */
export const Employee = defineEntity(
  'employees',
  {
    id: field.id(),
    email: field.string({ max: 120 }).unique(),
    name: field.string({ max: 200 }).index(),
    nickname: field.string().nullable(),
    salary: field.integer(),
    rating: field.number(),
    active: field.boolean(),
    hiredAt: field.datetime(),
    profile: field.json(),
    version: field.version(),
    createdAt: field.createdAt(),
    updatedAt: field.updatedAt(),
  },
  { indexes: [{ fields: ['name', 'salary'], unique: true }] },
);

export const Team = defineEntity('teams', { id: field.id(), code: field.string({ max: 10 }).unique() });

const BASE = Date.UTC(2024, 0, 1);

/** A complete employee row; `i` makes every unique value distinct. */
export function employee(i: number, overrides: StoredRow = {}): StoredRow {
  const at = new Date(BASE + i * 1000 + 1);
  return {
    id: `0190${String(i).padStart(8, '0')}`,
    email: `e${i}@example.com`,
    name: `name ${i}`,
    nickname: null,
    salary: i * 100,
    rating: i + 0.5,
    active: i % 2 === 0,
    hiredAt: at,
    profile: { level: i, tags: ['a'] },
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** Hooks that record what the driver reports. */
export function recordingHooks(): DriverHooks & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onCreate: (id) => events.push(`create ${id}`),
    onDestroy: (id, reason) => events.push(`destroy ${id} ${reason}`),
    onError: (error) => events.push(`error ${error.message}`),
  };
}
