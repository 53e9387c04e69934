import { defineEntity, field } from '@berth/core';

/** The entity the read-replica cases write and read back (`runReadReplicaCases`). */
export const Note = defineEntity('replica_notes', {
  id: field.id(),
  owner: field.string({ max: 40 }),
  body: field.string({ max: 200 }),
});
