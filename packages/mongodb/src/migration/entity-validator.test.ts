import { defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mapMongoError } from '../map-mongo-error.js';
import { entityValidation } from './entity-validator.js';

describe('entityValidation', () => {
  it('requires _id and the non-nullable fields, and types each field by kind with its bounds', () => {
    const E = defineEntity('things', {
      id: field.id(),
      name: field.string({ min: 2, max: 20 }),
      note: field.string().nullable(),
      count: field.integer({ min: 0, max: 9 }),
      kind: field.enum(['a', 'b']).nullable(),
      at: field.datetime(),
      data: field.json(),
      price: field.decimal({ precision: 10, scale: 2 }),
      flag: field.boolean(),
    });
    const { validator, level, action } = entityValidation(E);
    expect([level, action]).toEqual(['strict', 'error']);
    const schema = (validator as { $jsonSchema: { required: string[]; properties: Record<string, unknown> } })
      .$jsonSchema;
    expect(schema.required).toEqual(['_id', 'name', 'count', 'at', 'data', 'price', 'flag']);
    expect(schema.properties).toEqual({
      _id: { bsonType: 'string', maxLength: 36 },
      name: { bsonType: 'string', minLength: 2, maxLength: 20 },
      note: { bsonType: ['string', 'null'], maxLength: 255 },
      count: { bsonType: ['int', 'long', 'double'], minimum: 0, maximum: 9 },
      kind: { bsonType: ['string', 'null'], enum: ['a', 'b', null] },
      at: { bsonType: 'date' },
      price: { bsonType: 'decimal' },
      flag: { bsonType: 'bool' },
    });
  });

  it("maps the server's DocumentValidationFailure (121) to ValidationError naming the fields", () => {
    const error = Object.assign(new Error('Document failed validation'), {
      code: 121,
      errInfo: {
        details: {
          operatorName: '$jsonSchema',
          schemaRulesNotSatisfied: [
            { operatorName: 'required', missingProperties: ['name'] },
            {
              operatorName: 'properties',
              propertiesNotSatisfied: [{ propertyName: 'count', details: [{ operatorName: 'maximum' }] }],
            },
          ],
        },
      },
    });
    const mapped = mapMongoError(error);
    expect(mapped.constructor.name).toBe('ValidationError');
    expect((mapped as unknown as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
      'name',
      'count',
    ]);
  });
});
