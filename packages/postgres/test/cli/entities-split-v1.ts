import { defineEntity, field } from '@berth/core';

/** The split test's entity, first version. */
export const Account = defineEntity('cli_accounts', {
  id: field.id(),
  name: field.string({ max: 50 }),
  legacy: field.string({ max: 20 }).nullable(),
});
