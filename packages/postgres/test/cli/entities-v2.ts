import { defineEntity, field } from '@berth/core';

/** The CLI test's entity, second version: a field added, one dropped, an index. */
export const Contact = defineEntity('cli_contacts', {
  id: field.id(),
  email: field.string({ max: 120 }).unique(),
  phone: field.string({ max: 20 }).nullable().index(),
});
