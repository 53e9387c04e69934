import { describe, expect, it } from 'vitest';
import { buildInsertRow, validatePatch } from '../entity/build-row.js';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { hasGeneratedIds, idStrategyOf } from './id-strategy.js';
import { belongsTo } from '../entity/relation-definitions.js';
import {
  refuseForeignKeysToOtherIds,
  refuseGeneratedIdPersist,
  refuseGeneratedIdUpsert,
  refuseGeneratedIds,
} from './refuse-generated-ids.js';

const Supplied = defineEntity('s', { id: field.id({ strategy: 'supplied', max: 8 }), name: field.string() });
const Increment = defineEntity('i', { id: field.id({ strategy: 'increment' }), name: field.string() });
const Uuid = defineEntity('u', { id: field.id(), name: field.string() });
const now = new Date();

describe('id strategies', () => {
  it('records the strategy; the default is uuidv7', () => {
    expect(idStrategyOf(Uuid.fields.id)).toBe('uuidv7');
    expect(idStrategyOf(Supplied.fields.id)).toBe('supplied');
    expect(Supplied.fields.id).toMatchObject({ kind: 'id', min: 1, max: 8 });
    expect(hasGeneratedIds(Increment)).toBe(true);
    expect(hasGeneratedIds(Supplied)).toBe(false);
    expect(field.id({ strategy: 'uuidv7' }).meta).toEqual(field.id().meta);
  });

  it('refuses impossible options at definition time', () => {
    expect(() => field.id({ strategy: 'supplied', max: 256 })).toThrow(ValidationError);
    expect(() => field.id({ strategy: 'supplied', min: 0 })).toThrow(ValidationError);
    expect(() => field.id({ strategy: 'supplied', min: 5, max: 4 })).toThrow(ValidationError);
    expect(() => field.id({ strategy: 'nope' } as never)).toThrow(/unknown id strategy "nope"/);
  });

  it('an insert takes a supplied id, validated; a generated id is left for the database', () => {
    expect(buildInsertRow(Supplied, { id: 'k1', name: 'a' }, now)).toEqual({ id: 'k1', name: 'a' });
    const missing = () => buildInsertRow(Supplied, { name: 'a' }, now);
    expect(missing).toThrow(/id is required/);
    expect(() => buildInsertRow(Supplied, { id: 'x'.repeat(9), name: 'a' }, now)).toThrow(/at most 8/);
    expect(() => buildInsertRow(Supplied, { id: 'a\u0000', name: 'a' }, now)).toThrow(/NUL/);
    expect(buildInsertRow(Increment, { name: 'a' }, now)).toEqual({ name: 'a' });
    expect(() => buildInsertRow(Increment, { id: 3, name: 'a' }, now)).toThrow(/set by the data layer/);
    expect(() => buildInsertRow(Uuid, { id: 'x', name: 'a' }, now)).toThrow(/set by the data layer/);
  });

  it('no patch changes an id, whatever its strategy', () => {
    expect(() => validatePatch(Supplied, { id: 'k2' })).toThrow(/id cannot be changed/);
    expect(() => validatePatch(Increment, { id: 2 })).toThrow(/set by the data layer/);
  });

  it('generated ids are refused where the backend has none, and by upserts and units of work', () => {
    const refusal = () => refuseGeneratedIds(Increment, { generatedIds: false } as never);
    expect(refusal).toThrow(UnsupportedFeatureError);
    expect(() => refuseGeneratedIds(Increment, { generatedIds: true } as never)).not.toThrow();
    expect(() => refuseGeneratedIds(Supplied, {} as never)).not.toThrow();
    expect(() => refuseGeneratedIdUpsert(Increment)).toThrow(UnsupportedFeatureError);
    expect(() => refuseGeneratedIdUpsert(Supplied)).not.toThrow();
    expect(() => refuseGeneratedIdPersist(Increment)).toThrow(UnsupportedFeatureError);
  });

  it('a belongsTo references only ids that fit its UUID-sized key', () => {
    const Short = defineEntity('short', { id: field.id({ strategy: 'supplied', max: 36 }) });
    const ok = defineEntity('ok', { id: field.id(), a: belongsTo(() => Uuid), b: belongsTo(() => Short) });
    expect(() => refuseForeignKeysToOtherIds(ok)).not.toThrow();
    const toIncrement = defineEntity('to_i', { id: field.id(), t: belongsTo(() => Increment) });
    expect(() => refuseForeignKeysToOtherIds(toIncrement)).toThrow(UnsupportedFeatureError);
    const Long = defineEntity('long', { id: field.id({ strategy: 'supplied', max: 64 }) });
    const toLong = defineEntity('to_l', { id: field.id(), t: belongsTo(() => Long) });
    expect(() => refuseForeignKeysToOtherIds(toLong)).toThrow(/at most 36 characters/);
  });
});
