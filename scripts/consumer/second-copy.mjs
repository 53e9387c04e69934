// Run by the consumer check with a second copy of @berth/core nested under @berth/sql (as a package manager
// that failed to dedupe would leave it): berth must warn once, and a duplicate key raised through the
// adapter's copy must still be recognised by the application's copy (`instanceof`, `BerthError.is`).
import { strict as assert } from 'node:assert';
import { BerthError, connect, defineEntity, field, UniqueViolationError } from '@berth/core';

const warnings = [];
process.on('warning', (warning) => warnings.push(warning));

const Item = defineEntity('second_copy_items', { id: field.id(), name: field.string().unique() });
const db = await connect('pglite://memory', { entities: [Item] });
try {
  await db.ensureSchema();
  const items = db.repository(Item);
  await items.insert({ name: 'a' });
  const error = await items.insert({ name: 'a' }).then(
    () => assert.fail('the duplicate was stored'),
    (e) => e,
  );
  // The error really comes from the other copy: its class is not the application's.
  assert.notEqual(Object.getPrototypeOf(error).constructor, UniqueViolationError, 'not a second copy');
  assert.equal(BerthError.is(error), true, 'BerthError.is');
  assert.equal(error instanceof UniqueViolationError, true, 'instanceof UniqueViolationError');
  assert.equal(error instanceof BerthError, true, 'instanceof BerthError');
  assert.equal(error.code, 'UNIQUE_VIOLATION');
} finally {
  await db.close();
}
await new Promise((resolve) => setImmediate(resolve));
const duplicate = warnings.filter((w) => w.code === 'BERTH_DUPLICATE_CORE');
assert.equal(duplicate.length, 1, `one BERTH_DUPLICATE_CORE warning, got ${duplicate.length}`);
console.log('SECOND-COPY ok');
