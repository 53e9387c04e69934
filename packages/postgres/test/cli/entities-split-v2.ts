import { defineEntity, field } from '@berth/core';

/** The split test's entity, second version: a nullable indexed field added (expand), one dropped (contract). */
export const Account = defineEntity('cli_accounts', {
  id: field.id(),
  name: field.string({ max: 50 }),
  region: field.string({ max: 10 }).nullable().index(),
});
