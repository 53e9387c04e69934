import { type Database, ValidationError, type Where, defineEntity, field } from '@berth/core';
import type { CommandInfo, MongoTestServer } from '@berth/mongo-test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

/**
 * Operator injection through every operation: values and keys a client might send to smuggle MongoDB
 * operators in. Each is refused with ValidationError or stored and matched as a literal, never matches
 * an extra document, and the server never receives an operator the compiler did not write.
 */
const Note = defineEntity('injection_notes', {
  id: field.id(),
  title: field.string(),
  rank: field.integer(),
  tag: field.string().nullable(),
  body: field.json().nullable(),
});
type Row = { id: string; title: string; rank: number; tag: string | null };

/** What the compiler writes, plus the fixed pipeline of the driver's `countDocuments` ($match, $group, $sum). */
const COMPILER_OPERATORS = new Set([
  '$match',
  '$group',
  '$sum',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$regex',
  '$and',
  '$or',
  '$nor',
  '$exists',
  '$set',
]);
/** Command-level `$` keys the driver itself writes (`$db`, `$clusterTime`...), not part of any filter. */
const DRIVER_KEYS = new Set(['$db', '$clusterTime', '$readPreference']);

/** Every `$` key inside a command's filters, updates and documents. */
function operatorKeys(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) operatorKeys(item, found);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') && !DRIVER_KEYS.has(key)) found.add(key);
      operatorKeys(item, found);
    }
  }
  return found;
}

/** Values that look like operators, regex syntax or prototype tricks. */
const LOOKALIKES = [
  '$where',
  '$ne',
  '{"$ne": null}',
  '{"$gt": ""}',
  '.*',
  '^',
  '__proto__',
  'constructor',
  'a.b',
  '$set',
];

let server: MongoTestServer;
let db: Database;
let stored: Row[];
const commands: CommandInfo[] = [];
const open = useDatabases(() => server);

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  ({ db } = await open([Note]));
  const repo = db.repository(Note);
  await repo.insertMany([
    { title: 'plain', rank: 1, tag: 'x' },
    { title: 'empty', rank: 2, tag: null },
    ...LOOKALIKES.map((title, i) => ({ title, rank: 10 + i, tag: title })),
  ]);
  stored = (await repo.find()).items as Row[];
  commands.length = 0;
  server.setCommandHook((info) => {
    commands.push(info);
    return undefined;
  });
});

function sentOperators(): Set<string> {
  const found = new Set<string>();
  for (const { name, command } of commands) {
    if (name === 'hello' || name === 'isMaster') continue;
    for (const key of ['filter', 'updates', 'deletes', 'documents', 'pipeline', 'sort'])
      operatorKeys(command[key], found);
  }
  return found;
}

async function expectMatches(where: object, predicate: (row: Row) => boolean): Promise<void> {
  const repo = db.repository(Note);
  const expected = stored
    .filter(predicate)
    .map((r) => r.id)
    .sort();
  const found = (await repo.find({ where: where as Where<typeof Note> })).items.map((r) => r.id).sort();
  expect(found, JSON.stringify(where)).toEqual(expected);
  expect(await repo.count(where as Where<typeof Note>)).toBe(expected.length);
}

describe('operator injection', () => {
  it('find and count: operator documents as values are refused; operator-like strings match literally', async () => {
    const repo = db.repository(Note);
    const refused: unknown[] = [
      { title: { $ne: null } },
      { title: { $gt: '' } },
      { title: { $regex: '.*' } },
      { rank: { $where: 'true' } },
      { $where: 'true' },
      { $or: [{ title: 'plain' }] },
      { 'title.x': 'a' },
      { __proto__x: 1 },
      JSON.parse('{"__proto__": {"title": "plain"}}'),
      { title: { eq: { $ne: null } } },
      { title: { in: [{ $ne: null }] } },
      { title: ['plain'] },
      { body: { $exists: true } },
    ];
    for (const where of refused) {
      await expect(repo.find({ where: where as never }), JSON.stringify(where)).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repo.count(where as never)).rejects.toBeInstanceOf(ValidationError);
    }
    for (const value of LOOKALIKES) {
      await expectMatches({ title: value }, (r) => r.title === value);
      await expectMatches({ title: { ne: value } }, (r) => r.title !== value);
      await expectMatches({ title: { in: [value] } }, (r) => r.title === value);
      await expectMatches({ title: { contains: value } }, (r) => r.title.includes(value));
      await expectMatches({ title: { startsWith: value } }, (r) => r.title.startsWith(value));
      await expectMatches({ tag: { gte: value } }, (r) => r.tag !== null && r.tag >= value);
    }
    expect([...sentOperators()].filter((op) => !COMPILER_OPERATORS.has(op))).toEqual([]);
  });

  it('insert: operator documents are refused, operator-like strings are stored as written', async () => {
    const repo = db.repository(Note);
    for (const bad of [
      { title: { $ne: null } },
      { title: 'ok', rank: { $gt: 0 } },
      { title: 'ok', rank: 1, $set: { rank: 5 } },
    ]) {
      await expect(repo.insert({ rank: 1, ...bad } as never)).rejects.toBeInstanceOf(ValidationError);
    }
    for (const title of LOOKALIKES) {
      const row = await repo.insert({ title, rank: 99, tag: title });
      const raw = server.documents(TEST_DATABASE, Note.name).find((d) => d._id === row.id);
      expect(raw).toMatchObject({ title, tag: title, rank: 99 });
    }
  });

  it('json fields: keys starting with $ or holding a dot are refused on insert and update; other keys stay data', async () => {
    const repo = db.repository(Note);
    const row = stored[0]!;
    const refused = [
      { $set: { rank: 0 } },
      { a: { $where: '1' } },
      { 'a.b': 1 },
      [{ $ne: null }],
      { nested: [[{ $gt: '' }]] },
    ];
    for (const body of refused) {
      await expect(repo.insert({ title: 'j', rank: 1, body })).rejects.toBeInstanceOf(ValidationError);
      await expect(repo.update(row.id, { body })).rejects.toBeInstanceOf(ValidationError);
      const uow = db.unitOfWork();
      const loaded = (await uow.findById(Note, row.id))!;
      loaded.body = body;
      await expect(uow.flush()).rejects.toBeInstanceOf(ValidationError);
    }
    const kept = JSON.parse(
      '{"__proto__": {"x": 1}, "constructor": "c", "a$": "$ne", "": {"a b": "not a path"}}',
    );
    const inserted = await repo.insert({ title: 'j', rank: 1, body: kept });
    expect(JSON.stringify((await repo.getById(inserted.id)).body)).toBe(JSON.stringify(kept));
    expect((await repo.getById(row.id)).body).toBeNull();
  });

  it('update: operator keys and operator documents in patches are refused and change nothing', async () => {
    const repo = db.repository(Note);
    const row = stored[0]!;
    const patches: unknown[] = [
      { $set: { rank: 100 } },
      { $inc: { rank: 1 } },
      { title: { $ne: null } },
      { rank: { $gt: 0 } },
      { 'title.x': 'y' },
      JSON.parse('{"__proto__": {"rank": 100}}'),
      { _id: 'other' },
      { id: 'other' },
    ];
    for (const patch of patches) {
      await expect(repo.update(row.id, patch as never), JSON.stringify(patch)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    await repo.update(row.id, { title: '$set', tag: '{"$ne": null}' });
    expect(server.documents(TEST_DATABASE, Note.name).find((d) => d._id === row.id)).toMatchObject({
      title: '$set',
      tag: '{"$ne": null}',
      rank: 1,
    });
    await expect(repo.update('{"$ne": null}', { title: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.delete('{"$ne": null}')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.delete({ $ne: null } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(await repo.count()).toBe(stored.length);
    expect([...sentOperators()].filter((op) => !COMPILER_OPERATORS.has(op))).toEqual([]);
  });
});
