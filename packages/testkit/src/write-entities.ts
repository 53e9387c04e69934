import { defineEntity, field } from '@berth/core';

/**
 * Set-based writes, operators and upserts: bounded numeric fields, two unique fields (the upsert key and
 * another, which MySQL's `ON DUPLICATE KEY UPDATE` would also fire on) and a compound unique index.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Item = defineEntity(
  'conformance_items',
  {
    id: field.id(),
    sku: field.string({ max: 40 }).unique(),
    barcode: field.string({ max: 40 }).unique(),
    warehouse: field.string({ max: 20 }),
    bin: field.string({ max: 20 }),
    name: field.string({ max: 100 }),
    stock: field.integer({ min: 0, max: 1_000 }),
    price: field.number({ min: 0 }),
    tag: field.string({ max: 20 }).nullable(),
    level: field.integer().nullable(),
    version: field.version(),
    createdAt: field.createdAt(),
    updatedAt: field.updatedAt(),
  },
  { indexes: [{ fields: ['warehouse', 'bin'], unique: true }] },
);

/**
 * Operators on an entity with no version field: the write is guarded by the operated values alone.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Counter = defineEntity('conformance_counters', {
  id: field.id(),
  name: field.string({ max: 40 }).unique(),
  hits: field.integer({ min: 0 }),
  score: field.number(),
});

/**
 * Rounding `multiply`: an unbounded integer (the safe range), a small bounded one, and a number field.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Tally = defineEntity('conformance_tallies', {
  id: field.id(),
  name: field.string({ max: 40 }),
  amount: field.integer(),
  capped: field.integer({ min: -100, max: 100 }),
  ratio: field.number(),
  version: field.version(),
  updatedAt: field.updatedAt(),
});

/**
 * The field kinds beyond the basic ones: enum, decimal, bigint, date-only and bytes, each also nullable.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Asset = defineEntity('conformance_assets', {
  id: field.id(),
  status: field.enum(['draft', "it's live", 'back\\slash', 'ключ']),
  price: field.decimal({ precision: 34, scale: 4 }),
  serial: field.bigint(),
  since: field.date(),
  blob: field.bytes({ max: 300_000 }),
  small: field.bytes({ max: 16 }).nullable(),
  amount: field.decimal({ precision: 10, scale: 0 }).nullable(),
  big: field.bigint().nullable(),
  until: field.date().nullable(),
  tier: field.enum(['gold', 'silver']).nullable(),
});

/**
 * Ids the caller supplies: a natural key of up to 64 characters, required on insert, never changed.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Tag = defineEntity('conformance_tags', {
  id: field.id({ strategy: 'supplied', max: 64 }),
  label: field.string({ max: 40 }),
  version: field.version(),
});

/**
 * Ids the database generates (identity / AUTO_INCREMENT), on backends with `capabilities.generatedIds`.
 *
 * @internal A fixture of the conformance suite, exported for berth's own adapter tests: its fields follow the
 * suite's cases and change with them, so it is kept out of the API reference.
 */
export const Ticket = defineEntity('conformance_tickets', {
  id: field.id({ strategy: 'increment' }),
  title: field.string({ max: 100 }).unique(),
  points: field.integer({ min: 0 }),
  version: field.version(),
  updatedAt: field.updatedAt(),
});
