import { defineEntity, field } from '@berth/core';

/**
 * The entity the read-replica cases write and read back (`runReadReplicaCases`).
 *
 * @internal A fixture of the scale-out cases, exported for berth's own adapter tests: its fields follow the
 * cases.
 */
export const Note = defineEntity('replica_notes', {
  /** The row's id (UUIDv7). */
  id: field.id(),
  /** The session that wrote the row: each case's reads filter on it. */
  owner: field.string({ max: 40 }),
  /** The written text the read-back compares. */
  body: field.string({ max: 200 }),
});
