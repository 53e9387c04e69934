import { type RowOf, belongsTo, defineEntity, field } from '@berth/core';

/** The highest salary the contract allows; a raise that would pass it is refused. */
export const MAX_SALARY = 1_000_000_000;

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
  /**
   * The user who manages this employee, stored as `managerId` (optional; `?include=manager` loads the user).
   * `DELETE /users/{id}` clears it first, bumping each employee's version; the foreign key's `setNull` only
   * backs that up on SQL backends.
   */
  manager: belongsTo(() => User, { nullable: true, onDelete: 'setNull' }),
  version: field.version(),
  createdAt: field.createdAt().index(),
  updatedAt: field.updatedAt(),
});

/** The longest response body an idempotency record keeps: a full bulk answer (1000 employees) fits. */
export const MAX_STORED_BODY = 4_000_000;

/**
 * One `Idempotency-Key` a write was made with, stored in the write's own transaction, so it exists exactly
 * when the write does. `keyHash` (SHA-256 of the key, hex) is unique: a key of up to 255 characters would
 * make a large index, and hashing makes the comparison exact on every collation. `status`, `headers` and
 * `body` are the response to replay; `body` is the JSON text as first sent (a string, not a JSON field,
 * which PostgreSQL's jsonb would reorder).
 */
export const IdempotencyRecord = defineEntity('idempotency_keys', {
  id: field.id(),
  keyHash: field.string({ min: 64, max: 64 }).unique(),
  /** SHA-256 of method, path and the canonical JSON body: the request the key was first used with. */
  fingerprint: field.string({ min: 64, max: 64 }),
  /** 0 while the write is in progress inside its transaction; the final status once it has been answered. */
  status: field.integer({ min: 0, max: 599 }),
  /** The headers that matter to replay (`location`, `etag`, `content-type`), as JSON text. */
  headers: field.string({ max: 4_000 }),
  body: field.string({ max: MAX_STORED_BODY }).nullable(),
  expiresAt: field.datetime().index(),
  version: field.version(),
  createdAt: field.createdAt(),
});

export type EmployeeRow = RowOf<typeof Employee>;
export type UserRow = RowOf<typeof User>;

/** Every entity the service owns; `ensureSchema()` creates them at start. */
export const ENTITIES = [Employee, User, IdempotencyRecord] as const;
