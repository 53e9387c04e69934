import { type RowOf, defineEntity, field } from '@berth/core';

/** The highest salary the contract allows; a raise that would pass it is refused. */
export const MAX_SALARY = 1_000_000_000;

/**
 * Employees, defined once for every backend. Each field a list can filter or sort on has its own index;
 * keyset pagination adds `id` as the tiebreaker, which the primary key already covers.
 */
export const Employee = defineEntity('employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 200 }).index(),
  // 254 characters is the longest address SMTP can carry (RFC 5321).
  email: field.string({ min: 3, max: 254 }).unique(),
  department: field.string({ min: 1, max: 100 }).index(),
  salary: field.integer({ min: 0, max: MAX_SALARY }).index(),
  active: field.boolean().default(true),
  hiredAt: field.datetime().index(),
  version: field.version(),
  createdAt: field.createdAt().index(),
  updatedAt: field.updatedAt(),
});

/** Users. `username`'s character set is checked by the HTTP schema; its length here as well. */
export const User = defineEntity('users', {
  id: field.id(),
  username: field.string({ min: 3, max: 50 }).unique(),
  displayName: field.string({ min: 1, max: 200 }),
  email: field.string({ min: 3, max: 254 }).unique(),
  version: field.version(),
  createdAt: field.createdAt().index(),
  updatedAt: field.updatedAt(),
});

export type EmployeeRow = RowOf<typeof Employee>;
export type UserRow = RowOf<typeof User>;

/** Every entity the service owns; `ensureSchema()` creates them at start. */
export const ENTITIES = [Employee, User] as const;
