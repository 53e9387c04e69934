import { Decimal128, MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer();
let db: Db;

beforeEach(async () => {
  db = (await ctx.client()).db(uniqueDbName('val'));
});

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

const schema = {
  bsonType: 'object',
  required: ['_id', 'name'],
  properties: {
    name: { bsonType: 'string', maxLength: 5 },
    age: { bsonType: ['int', 'long', 'double', 'null'], minimum: 0, maximum: 150 },
    role: { bsonType: 'string', enum: ['admin', 'user'] },
    price: { bsonType: 'decimal' },
  },
};

describe('JSON-schema validators', () => {
  it('lists the validator and rejects inserts that break it with DocumentValidationFailure (121)', async () => {
    await db.createCollection('people', { validator: { $jsonSchema: schema } });
    const [info] = await db.listCollections({ name: 'people' }).toArray();
    expect((info as Loose).options).toEqual({ validator: { $jsonSchema: schema } });
    const people = db.collection<Loose>('people');
    await people.insertOne({
      _id: 1,
      name: 'ann',
      age: 30,
      role: 'user',
      price: Decimal128.fromString('1.5'),
    });
    const cases: [Loose, string][] = [
      [{ _id: 2 }, 'required'],
      [{ _id: 3, name: 'toolong' }, 'properties'],
      [{ _id: 4, name: 'bo', age: 'x' }, 'properties'],
      [{ _id: 5, name: 'bo', age: 200 }, 'properties'],
      [{ _id: 6, name: 'bo', role: 'root' }, 'properties'],
      [{ _id: 7, name: 'bo', price: 1.5 }, 'properties'],
    ];
    for (const [doc, operator] of cases) {
      const error = await failure(people.insertOne(doc));
      expect(error.code).toBe(121);
      const details = error.errInfo?.details;
      expect(details.operatorName).toBe('$jsonSchema');
      expect(details.schemaRulesNotSatisfied[0].operatorName).toBe(operator);
    }
    expect(await people.countDocuments()).toBe(1);
  });

  it('checks updates (strict by default), and collMod changes the rules, the level and the action', async () => {
    await db.collection<Loose>('things').insertOne({ _id: 1, name: 'a' });
    await db.command({ collMod: 'things', validator: { $jsonSchema: schema } });
    const things = db.collection<Loose>('things');
    const error = await failure(things.updateOne({ _id: 1 }, { $set: { name: 'far too long' } }));
    expect(error.code).toBe(121);
    expect((await things.findOne({ _id: 1 }))?.name).toBe('a');
    // findAndModify fails the command itself.
    expect((await failure(things.findOneAndUpdate({ _id: 1 }, { $set: { age: -1 } }))).code).toBe(121);

    // moderate: a document that already broke the rules may still be updated.
    await db.command({ collMod: 'things', validationAction: 'warn' });
    await things.insertOne({ _id: 2 });
    await db.command({ collMod: 'things', validationAction: 'error', validationLevel: 'moderate' });
    await things.updateOne({ _id: 2 }, { $set: { age: 'still invalid' } });
    expect((await failure(things.updateOne({ _id: 1 }, { $set: { age: 'x' } }))).code).toBe(121);
    const [info] = await db.listCollections({ name: 'things' }).toArray();
    expect((info as Loose).options).toMatchObject({ validationLevel: 'moderate', validationAction: 'error' });

    await db.command({ collMod: 'things', validationLevel: 'off' });
    await things.insertOne({ _id: 3, name: 1 });
    await db.command({ collMod: 'things', validationLevel: 'strict' });
    await things.insertOne({ _id: 4, name: 1 }, { bypassDocumentValidation: true });
    expect(await things.countDocuments()).toBe(4);
  });

  it('refuses validators it cannot enforce, and collMod of a missing collection', async () => {
    expect(
      (
        await failure(
          db.createCollection('a', { validator: { $jsonSchema: { bsonType: 'object', oneOf: [] } } }),
        )
      ).message,
    ).toContain("keyword 'oneOf'");
    expect(
      (await failure(db.createCollection('b', { validator: { name: { $type: 'string' } } }))).message,
    ).toContain('only $jsonSchema');
    expect((await failure(db.command({ collMod: 'nope', validator: { $jsonSchema: schema } }))).code).toBe(
      26,
    );
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual([]);
  });
});
