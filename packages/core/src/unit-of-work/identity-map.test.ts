import { describe, expect, it } from 'vitest';
import type { StoredRow } from '../driver/commands.js';
import { type Entity, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { IdentityMap, type TrackedRow } from './identity-map.js';

const A = defineEntity('identity_a', { id: field.id(), n: field.integer() });
const B = defineEntity('identity_b', { id: field.id(), n: field.integer() });

function tracked(entity: Entity, id: string, state: TrackedRow['state'] = 'new'): TrackedRow {
  const row: StoredRow = { id, n: 1 };
  return { entity, row, snapshot: undefined, state, validated: { ...row } };
}

const ids = (map: IdentityMap) => [...map.values()].map((t) => `${t.entity.name}:${t.row.id}`);

describe('IdentityMap', () => {
  it('rows added fresh are found by id, counted, and listed in the order they were tracked', () => {
    const map = new IdentityMap();
    const first = tracked(A, 'a1', 'managed');
    map.add(first);
    const fresh = ['a2', 'a3'].map((id) => tracked(A, id));
    for (const t of fresh) map.addFresh(t);
    map.addFresh(tracked(B, 'b1'));
    expect(map.size).toBe(4);
    expect(ids(map)).toEqual(['identity_a:a1', 'identity_a:a2', 'identity_a:a3', 'identity_b:b1']);
    expect(map.get(A, 'a3')).toBe(fresh[1]);
    expect(map.get(A, 'a1')).toBe(first);
    expect(map.get(B, 'a3')).toBeUndefined();
    // Indexed by then; what is added after comes after.
    map.addFresh(tracked(A, 'a4'));
    map.add(tracked(A, 'a5', 'managed'));
    expect(ids(map)).toEqual([
      'identity_a:a1',
      'identity_a:a2',
      'identity_a:a3',
      'identity_a:a4',
      'identity_a:a5',
      'identity_b:b1',
    ]);
    expect(map.size).toBe(6);
  });

  it('a fresh row is found under the id it was added with, even if the caller changed its row since', () => {
    const map = new IdentityMap();
    const t = tracked(A, 'a1');
    map.addFresh(t);
    (t.row as StoredRow).id = 'changed';
    expect(map.get(A, 'a1')).toBe(t);
    expect(map.get(A, 'changed')).toBeUndefined();
  });

  it('delete and clear reach rows not yet indexed', () => {
    const map = new IdentityMap();
    for (const id of ['a1', 'a2', 'a3']) map.addFresh(tracked(A, id));
    map.delete(A, 'a2');
    expect(ids(map)).toEqual(['identity_a:a1', 'identity_a:a3']);
    expect(map.get(A, 'a2')).toBeUndefined();
    map.addFresh(tracked(A, 'a4'));
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get(A, 'a4')).toBeUndefined();
  });
});
