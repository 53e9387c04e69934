import { randomUUID } from 'node:crypto';
import { type Entity, defineEntity, field } from '@berth/core';
import { Counter, Item } from './write-entities.js';

/**
 * Every field kind, defaults, nullable fields and a unique field: the repository and error cases.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Widget = defineEntity('conformance_widgets', {
  id: field.id(),
  label: field.string({ min: 1, max: 200 }),
  code: field.string({ max: 64 }).unique(),
  text: field.string({ max: 1000 }).default(''),
  count: field.integer().default(0),
  ratio: field.number().default(0),
  enabled: field.boolean().default(true),
  happenedAt: field.datetime().default(() => new Date(Date.UTC(2024, 0, 1))),
  payload: field.json().default(() => ({})),
  note: field.string({ max: 100 }).nullable(),
  score: field.integer({ min: -1_000, max: 1_000 }).nullable(),
  token: field.string({ max: 36 }).default(() => randomUUID()),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

/**
 * Filter cases: one field of every filterable kind, nullable ones among them.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Gadget = defineEntity('conformance_gadgets', {
  id: field.id(),
  name: field.string({ max: 50 }),
  rank: field.integer(),
  weight: field.number(),
  flag: field.boolean(),
  seenAt: field.datetime(),
  nickname: field.string({ max: 50 }).nullable(),
  level: field.integer().nullable(),
  extra: field.json().nullable(),
});

/**
 * Sorting and pagination cases: many duplicate values in every sortable kind.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Entry = defineEntity('conformance_entries', {
  id: field.id(),
  bucket: field.string({ max: 10 }),
  rank: field.integer(),
  at: field.datetime(),
  flag: field.boolean(),
  seq: field.integer().index(),
});

/**
 * Unit-of-work cases: versioned rows with a unique field.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Account = defineEntity('conformance_accounts', {
  id: field.id(),
  email: field.string({ max: 100 }).unique(),
  name: field.string({ max: 100 }),
  balance: field.integer(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

/**
 * Unversioned rows: a unit of work writes only the fields it changed, and nothing else of the row.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Profile = defineEntity('conformance_profiles', {
  id: field.id(),
  title: field.string({ max: 100 }),
  body: field.string({ max: 100 }),
  views: field.integer(),
  updatedAt: field.updatedAt(),
});

/**
 * A compound unique index.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Membership = defineEntity(
  'conformance_memberships',
  {
    id: field.id(),
    teamId: field.string({ max: 36 }),
    userId: field.string({ max: 36 }),
    role: field.string({ max: 20 }),
  },
  { indexes: [{ fields: ['teamId', 'userId'], unique: true }] },
);

/**
 * Transaction and pool cases: small versioned rows.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Ledger = defineEntity('conformance_ledger', {
  id: field.id(),
  label: field.string({ max: 100 }),
  amount: field.integer(),
  version: field.version(),
});

/**
 * Every entity the suite uses; its tables are created with `ensureSchema` before the cases run.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const conformanceEntities: readonly Entity[] = Object.freeze([
  Widget,
  Gadget,
  Entry,
  Account,
  Profile,
  Membership,
  Ledger,
  Item,
  Counter,
]);
