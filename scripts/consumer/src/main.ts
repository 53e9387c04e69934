// A consumer's program, compiled by tsc against the installed tarballs and run with plain node: what a user
// of berth writes, on every backend whose adapter is installed. Exits non-zero on the first failed assertion.
import { strict as assert } from 'node:assert';
import {
  AdapterNotInstalledError,
  connect,
  type Database,
  defineEntity,
  field,
  type RowOf,
  UniqueViolationError,
} from '@berth/core';

export const Employee = defineEntity('consumer_employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 200 }),
  email: field.string({ max: 320 }).unique(),
  department: field.string({ min: 1, max: 100 }).index(),
  salary: field.integer({ min: 0, max: 1_000_000_000 }),
  active: field.boolean().default(true),
  hiredAt: field.datetime(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});
type EmployeeRow = RowOf<typeof Employee>;

// The row type is inferred from the entity through the published declarations, not `any`.
const salaryOf = (row: EmployeeRow): number => row.salary;
// @ts-expect-error salary is a number, so this line only compiles if the published types are `any`
const wrong: string = ({} as EmployeeRow).salary;
void wrong;

async function exercise(url: string): Promise<string> {
  const db: Database = await connect(url, {
    entities: [Employee],
    pool: { max: 4, acquireTimeoutMs: 5_000 },
  });
  try {
    await db.ensureSchema();
    await db.ensureSchema(); // idempotent
    const employees = db.repository(Employee);
    const hiredAt = new Date('2024-01-02T00:00:00Z');
    const names = ['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald'];
    const inserted = await employees.insertMany(
      names.map((name, i) => ({
        name,
        email: `${name.toLowerCase()}@example.com`,
        department: i % 2 === 0 ? 'eng' : 'ops',
        salary: 100_000 + i * 1_000,
        hiredAt,
      })),
    );
    assert.equal(inserted.length, 5);
    assert.equal(inserted[0]?.version, 1);
    assert.equal(inserted[0]?.active, true, 'default applied');
    assert.ok(inserted[0]?.hiredAt instanceof Date);

    await assert.rejects(
      employees.insert({ name: 'Ada 2', email: 'ada@example.com', department: 'eng', salary: 1, hiredAt }),
      (error: unknown) => error instanceof UniqueViolationError,
      'a duplicate email is a UniqueViolationError',
    );

    // A filter, a sort and cursor pagination: every match exactly once, in order.
    const where = { department: 'eng', salary: { gte: 100_000 } } as const;
    const first = await employees.find({ where, orderBy: ['-salary'], limit: 2 });
    assert.deepEqual(
      first.items.map((e) => e.name),
      ['Donald', 'Edsger'],
    );
    assert.ok(first.nextCursor, 'a first page of a longer result has a cursor');
    const second = await employees.find({ where, orderBy: ['-salary'], limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.items.map((e) => e.name),
      ['Ada'],
    );
    assert.equal(second.nextCursor, null);
    assert.equal(await employees.count({ department: 'ops' }), 2);

    // Unit of work: tracked changes and a new row, written by one flush.
    const uow = db.unitOfWork();
    const { items: ops } = await uow.find(Employee, { where: { department: 'ops' } });
    for (const e of ops) e.salary = salaryOf(e) + 500;
    uow.persist(Employee, {
      name: 'Frances',
      email: 'frances@example.com',
      department: 'ops',
      salary: 1,
      hiredAt,
    });
    const flushed = await uow.flush();
    assert.deepEqual(flushed, { inserted: 1, updated: 2, deleted: 0 });
    const grace = await employees.findOne({ name: 'Grace' });
    assert.equal(grace?.salary, 101_500);
    assert.equal(grace?.version, 2);

    // Transactions: a failed one leaves nothing behind, a committed one is seen after.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx
          .repository(Employee)
          .insert({ name: 'Ghost', email: 'ghost@example.com', department: 'x', salary: 1, hiredAt });
        assert.equal(
          await employees.count({ name: 'Ghost' }),
          1,
          'ambient: the repository joins the transaction',
        );
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await employees.count({ name: 'Ghost' }), 0, 'rolled back');
    await db.transaction(async (tx) => {
      const ada = await tx.repository(Employee).getById(inserted[0]!.id);
      await tx.repository(Employee).update(ada.id, { active: false }, { expectedVersion: ada.version });
    });
    assert.equal((await employees.getById(inserted[0]!.id)).active, false);
    assert.equal(await employees.count(), 6);
    const stats = db.pool.stats();
    assert.equal(stats.inUse, 0, 'every connection went back to the pool');
    return `${db.backend}: insert, unique, filter+cursor, unit of work, transactions OK (pool ${JSON.stringify(stats)})`;
  } finally {
    await db.close();
  }
}

async function missingAdapter(): Promise<string> {
  try {
    await connect('mysql://root@127.0.0.1/x');
  } catch (error) {
    assert.ok(
      error instanceof AdapterNotInstalledError,
      `expected AdapterNotInstalledError, got ${String(error)}`,
    );
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    assert.match(error.message, /@berth\/mysql/, 'the message names the package');
    return error.message;
  }
  throw new Error('connect(mysql://) succeeded without @berth/mysql installed');
}

// The database URLs to exercise, from the command line: `node dist/main.js pglite://memory postgres://...`.
const urls = process.argv.slice(2);
for (const url of urls) console.log(`RESULT ${url.split(':')[0]} ${await exercise(url)}`);
console.log(`MISSING ${await missingAdapter()}`);
