import { defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { entityValidation } from './entity-validator.js';
import { renderMongoMigration } from './render-mongo.js';

const E = defineEntity('notes', { id: field.id(), title: field.string({ max: 20 }) });

describe('renderMongoMigration', () => {
  it('carries only the helpers its steps call, written out in the file', () => {
    const created = renderMongoMigration(
      [{ kind: 'createTable', table: 'notes', entity: E, destructive: false, reason: 'missing' }],
      'create',
    );
    expect(created).toContain('await createCollection(db, "notes", {');
    expect(created).toContain('async function createCollection(db, name, options = {})');
    expect(created).not.toContain('async function dropIndex');
    expect(created).not.toContain('async function dropCollection');

    const validated = renderMongoMigration(
      [
        {
          kind: 'setValidator',
          table: 'notes',
          entity: E,
          from: { validator: undefined, level: 'strict', action: 'error' },
          to: entityValidation(E),
          destructive: false,
          reason: 'no validator',
        },
      ],
      'validate',
    );
    expect(validated).toContain('"collMod": "notes"');
    expect(validated).toContain('"title": {"bsonType":"string","maxLength":20}');
    expect(validated).not.toMatch(/^async function/m);
  });
});
