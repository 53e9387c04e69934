import { defineEntity, field } from '@berth/core';

/** The CLI test's entity, first version. */
export const Contact = defineEntity('cli_contacts', {
  id: field.id(),
  email: field.string({ max: 120 }).unique(),
  age: field.integer(),
});
