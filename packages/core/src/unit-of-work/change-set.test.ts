import { describe, expect, it } from 'vitest';
import type { StoredRow } from '../driver/commands.js';
import { buildInsertRow } from '../entity/build-row.js';
import { type Entity, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import { computeChangeSet, countChanges } from './change-set.js';
import { IdentityMap, type TrackedRow } from './identity-map.js';
import { snapshot } from './snapshot.js';

const Employee = defineEntity('employees', {
  id: field.id(),
  name: field.string({ min: 1 }),
  salary: field.integer({ min: 0 }),
  hiredAt: field.datetime(),
  meta: field.json<Record<string, unknown>>(),
  nick: field.string().nullable(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});
const Team = defineEntity('teams', { id: field.id(), title: field.string() });

const T0 = new Date('2024-01-01T00:00:00.000Z');
const NOW = new Date('2024-06-01T12:00:00.000Z');

function employee(overrides: Partial<StoredRow> = {}): StoredRow {
  return buildInsertRow(
    Employee,
    {
      name: 'Ann',
      salary: 10,
      hiredAt: new Date('2020-02-02T00:00:00Z'),
      meta: { tags: ['a'], n: { x: 1 } },
      ...overrides,
    },
    T0,
  );
}

/** A row as read from the database: tracked as managed, with a private snapshot. */
function managed(map: IdentityMap, entity: Entity, row: StoredRow): TrackedRow {
  const tracked: TrackedRow = { entity, row, snapshot: snapshot(entity, row), state: 'managed' };
  map.add(tracked);
  return tracked;
}

function added(map: IdentityMap, entity: Entity, row: StoredRow): TrackedRow {
  const tracked: TrackedRow = { entity, row, snapshot: undefined, state: 'new' };
  map.add(tracked);
  return tracked;
}

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('computeChangeSet', () => {
  it('is empty for an empty map', () => {
    const changes = computeChangeSet(new IdentityMap(), NOW);
    expect(changes.size).toBe(0);
    expect(changes.inserts.size).toBe(0);
    expect(changes.updates).toEqual([]);
    expect(changes.deletes.size).toBe(0);
  });

  it('groups new rows by entity, in the order they were persisted', () => {
    const map = new IdentityMap();
    const e1 = added(map, Employee, employee({ name: 'A' }));
    const t1 = added(map, Team, buildInsertRow(Team, { title: 'x' }, T0));
    const e2 = added(map, Employee, employee({ name: 'B' }));
    const t2 = added(map, Team, buildInsertRow(Team, { title: 'y' }, T0));
    const e3 = added(map, Employee, employee({ name: 'C' }));
    const changes = computeChangeSet(map, NOW);
    expect(changes.size).toBe(5);
    expect([...changes.inserts.keys()]).toEqual([Employee, Team]);
    expect(changes.inserts.get(Employee)!.map((i) => i.tracked)).toEqual([e1, e2, e3]);
    expect(changes.inserts.get(Employee)![0]!.tracked).toBe(e1);
    expect(changes.inserts.get(Team)!.map((i) => i.tracked)).toEqual([t1, t2]);
    expect(changes.inserts.get(Team)!.map((i) => i.row)).toEqual([t1.row, t2.row]);
    expect(changes.updates).toEqual([]);
    expect(changes.deletes.size).toBe(0);
  });

  it("writes private copies: changes made to the caller's objects after it was computed do not leak in", () => {
    const map = new IdentityMap();
    const fresh = added(map, Employee, employee({ name: 'New' }));
    const row = employee();
    managed(map, Employee, row);
    (row.meta as { n: { x: number } }).n.x = 2;
    row.hiredAt = new Date('2021-01-01T00:00:00Z');
    const changes = computeChangeSet(map, NOW);
    const insert = changes.inserts.get(Employee)![0]!;
    const update = changes.updates[0]!;
    (fresh.row as StoredRow).name = 'changed during the flush';
    (row.meta as { n: { x: number } }).n.x = 3;
    (row.hiredAt as Date).setTime(0);
    expect(insert.row).not.toBe(fresh.row);
    expect(insert.row.name).toBe('New');
    expect(update.set.meta).toEqual({ tags: ['a'], n: { x: 2 } });
    expect(update.set.hiredAt).toEqual(new Date('2021-01-01T00:00:00Z'));
  });

  it('validates new rows changed in place after persist', () => {
    const map = new IdentityMap();
    const row = employee();
    added(map, Employee, row);
    row.salary = -1;
    const error = refusal(() => computeChangeSet(map, NOW));
    expect(error.issues).toEqual([{ field: 'salary', message: 'salary must be at least 0' }]);
  });

  describe('new rows validated at persist (tracked with the copy persist validated)', () => {
    function persisted(map: IdentityMap, row: StoredRow): TrackedRow {
      const tracked: TrackedRow = {
        entity: Employee,
        row,
        snapshot: undefined,
        state: 'new',
        validated: snapshot(Employee, row),
      };
      map.add(tracked);
      return tracked;
    }

    it('are written as they are when unchanged since', () => {
      const map = new IdentityMap();
      const row = employee({ name: 'Kept' });
      persisted(map, row);
      const insert = computeChangeSet(map, NOW).inserts.get(Employee)![0]!;
      expect(insert.row).toEqual(row);
      expect(insert.row).not.toBe(row);
    });

    it('are validated again when a field was changed in place', () => {
      const map = new IdentityMap();
      const row = employee();
      persisted(map, row);
      row.name = '';
      const error = refusal(() => computeChangeSet(map, NOW));
      expect(error.issues).toEqual([{ field: 'name', message: 'name must be at least 1 character' }]);
    });

    it('are validated again when a nested JSON value was changed in place', () => {
      const map = new IdentityMap();
      const row = employee();
      persisted(map, row);
      (row.meta as { n: { x: number } }).n.x = Number.NaN;
      const error = refusal(() => computeChangeSet(map, NOW));
      expect(error.issues[0]!.field).toBe('meta');
    });

    it('are validated again when a Date was changed in place', () => {
      const map = new IdentityMap();
      const row = employee();
      persisted(map, row);
      (row.hiredAt as Date).setTime(Number.NaN);
      const error = refusal(() => computeChangeSet(map, NOW));
      expect(error.issues[0]!.field).toBe('hiredAt');
    });
  });

  it('writes nothing for unchanged managed rows', () => {
    const map = new IdentityMap();
    managed(map, Employee, employee());
    managed(map, Team, buildInsertRow(Team, { title: 'x' }, T0));
    expect(computeChangeSet(map, NOW).size).toBe(0);
  });

  it('sets only the changed fields, plus version + 1 and updatedAt', () => {
    const map = new IdentityMap();
    const row = employee();
    const tracked = managed(map, Employee, row);
    row.name = 'Bea';
    row.nick = 'b';
    const changes = computeChangeSet(map, NOW);
    expect(changes.size).toBe(1);
    expect(changes.updates).toHaveLength(1);
    const update = changes.updates[0]!;
    expect(update.tracked).toBe(tracked);
    expect(update.id).toBe(row.id);
    expect(update.version).toBe(1);
    expect(update.set).toEqual({ name: 'Bea', nick: 'b', version: 2, updatedAt: NOW });
    expect(Object.keys(update.set)).toEqual(['name', 'nick', 'version', 'updatedAt']);
    expect(changes.inserts.size).toBe(0);
    expect(changes.deletes.size).toBe(0);
  });

  it("increments from the version read, and leaves the caller's row and the snapshot alone", () => {
    const map = new IdentityMap();
    const row: StoredRow = { ...employee(), version: 7 };
    const tracked = managed(map, Employee, row);
    row.salary = 11;
    const update = computeChangeSet(map, NOW).updates[0]!;
    expect(update.version).toBe(7);
    expect(update.set).toEqual({ salary: 11, version: 8, updatedAt: NOW });
    expect(row.version).toBe(7);
    expect(tracked.snapshot!.salary).toBe(10);
  });

  it('omits version and updatedAt for an entity without them', () => {
    const map = new IdentityMap();
    const row = buildInsertRow(Team, { title: 'x' }, T0);
    managed(map, Team, row);
    row.title = 'y';
    const update = computeChangeSet(map, NOW).updates[0]!;
    expect(update.version).toBeUndefined();
    expect(update.set).toEqual({ title: 'y' });
  });

  it('compares Dates by instant', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    row.hiredAt = new Date((row.hiredAt as Date).getTime());
    expect(computeChangeSet(map, NOW).size).toBe(0);
    (row.hiredAt as Date).setTime(0);
    expect(computeChangeSet(map, NOW).updates[0]!.set).toEqual({
      hiredAt: new Date(0),
      version: 2,
      updatedAt: NOW,
    });
  });

  it('compares JSON by value, finding deep in-place changes', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    row.meta = { n: { x: 1 }, tags: ['a'] }; // same value, new object, other key order
    expect(computeChangeSet(map, NOW).size).toBe(0);
    (row.meta as { n: { x: number } }).n.x = 2;
    const update = computeChangeSet(map, NOW).updates[0]!;
    expect(update.set).toEqual({ meta: { n: { x: 2 }, tags: ['a'] }, version: 2, updatedAt: NOW });
  });

  it('finds a pushed array element in JSON', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    (row.meta as { tags: string[] }).tags.push('b');
    expect(computeChangeSet(map, NOW).updates[0]!.set.meta).toEqual({ tags: ['a', 'b'], n: { x: 1 } });
  });

  it('schedules removed rows as deletes grouped by entity, with the version read', () => {
    const map = new IdentityMap();
    const a = managed(map, Employee, employee());
    const t = managed(map, Team, buildInsertRow(Team, { title: 'x' }, T0));
    const b = managed(map, Employee, { ...employee(), version: 4 });
    a.state = 'removed';
    b.state = 'removed';
    t.state = 'removed';
    (b.row as StoredRow).name = 'changed before removal';
    const changes = computeChangeSet(map, NOW);
    expect(changes.size).toBe(3);
    expect(changes.updates).toEqual([]);
    expect(changes.deletes.get(Employee)).toEqual([
      { tracked: a, id: a.row.id, version: 1 },
      { tracked: b, id: b.row.id, version: 4 },
    ]);
    expect(changes.deletes.get(Team)).toEqual([{ tracked: t, id: t.row.id, version: undefined }]);
  });

  it('mixes inserts, updates and deletes in one change set', () => {
    const map = new IdentityMap();
    added(map, Team, buildInsertRow(Team, { title: 'new' }, T0));
    const changed = managed(map, Employee, employee());
    const removed = managed(map, Employee, employee());
    managed(map, Employee, employee());
    (changed.row as StoredRow).salary = 20;
    removed.state = 'removed';
    const changes = computeChangeSet(map, NOW);
    expect(changes.size).toBe(3);
    expect(changes.inserts.get(Team)).toHaveLength(1);
    expect(changes.updates.map((u) => u.tracked)).toEqual([changed]);
    expect(changes.deletes.get(Employee)!.map((d) => d.tracked)).toEqual([removed]);
  });

  it.each([
    ['id', () => '0190a6c4-5e8b-7cde-8f12-3456789abcde'],
    ['version', () => 5],
    ['createdAt', () => new Date(0)],
    ['updatedAt', () => new Date(0)],
  ])('refuses a change to %s', (name, value) => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    row[name] = value();
    const error = refusal(() => computeChangeSet(map, NOW));
    expect(error.message).toBe(`employees: ${name} is set by the data layer`);
    expect(error.issues).toEqual([{ field: name, message: 'set by the data layer' }]);
  });

  it('lists every managed field changed', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    row.version = 9;
    row.createdAt = new Date(0);
    row.name = 'fine';
    const error = refusal(() => computeChangeSet(map, NOW));
    expect(error.message).toBe('employees: version, createdAt are set by the data layer');
    expect(error.issues.map((i) => i.field)).toEqual(['version', 'createdAt']);
  });

  it('refuses an invalid in-place change', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    row.name = 5;
    row.hiredAt = 'yesterday';
    const error = refusal(() => computeChangeSet(map, NOW));
    expect(error.issues).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'hiredAt', message: 'hiredAt must be a valid Date' },
    ]);
  });

  it('refuses an unchanged-looking but invalid JSON change', () => {
    const map = new IdentityMap();
    const row = employee();
    managed(map, Employee, row);
    (row.meta as Record<string, unknown>).when = new Date();
    refusal(() => computeChangeSet(map, NOW));
  });
});

describe('IdentityMap', () => {
  it('gives one tracked row per entity and id, in first-tracked order', () => {
    const map = new IdentityMap();
    const a = managed(map, Employee, employee());
    const t = managed(map, Team, buildInsertRow(Team, { title: 'x' }, T0));
    const b = managed(map, Employee, employee());
    expect(map.size).toBe(3);
    expect(map.get(Employee, a.row.id as string)).toBe(a);
    expect(map.get(Team, a.row.id as string)).toBeUndefined();
    expect([...map.values()]).toEqual([a, b, t]);
    map.delete(Employee, a.row.id as string);
    expect(map.get(Employee, a.row.id as string)).toBeUndefined();
    expect(map.size).toBe(2);
    map.clear();
    expect(map.size).toBe(0);
    expect([...map.values()]).toEqual([]);
  });

  it('keeps entities with the same id apart', () => {
    const map = new IdentityMap();
    const id = '0190a6c4-5e8b-7cde-8f12-3456789abcde';
    const e = managed(map, Employee, { ...employee(), id });
    const t = managed(map, Team, { id, title: 'x' });
    expect(map.get(Employee, id)).toBe(e);
    expect(map.get(Team, id)).toBe(t);
  });
});

describe('snapshot', () => {
  it('is a deep copy, Dates and JSON included', () => {
    const row = employee();
    const copy = snapshot(Employee, row);
    expect(copy).toEqual(row);
    expect(copy.hiredAt).not.toBe(row.hiredAt);
    expect(copy.meta).not.toBe(row.meta);
    (row.meta as { n: { x: number } }).n.x = 99;
    expect((copy.meta as { n: { x: number } }).n.x).toBe(1);
  });

  it('equals what structuredClone gives, field for field, and refuses what it refuses', () => {
    const row: StoredRow = { ...employee(), nick: null, meta: { big: 10n, list: [1, { a: [2] }] } };
    const copy = snapshot(Employee, row);
    expect(copy).toStrictEqual(structuredClone(row));
    expect(Object.keys(copy)).toEqual(Object.keys(row));
    expect((copy.meta as { list: unknown }).list).not.toBe((row.meta as { list: unknown }).list);
    (row.hiredAt as Date).setTime(0);
    expect((copy.hiredAt as Date).getTime()).not.toBe(0);
    expect(() => snapshot(Employee, { ...employee(), meta: { f: () => 1 } })).toThrow();
    expect(() => snapshot(Team, { id: 'x', title: () => 1 })).toThrow();
  });

  it("copies the entity's fields only, in declaration order: a loaded relation is not part of it", () => {
    const row: StoredRow = { title: 't', id: 'x', team: { id: 'y', title: 'u' }, extra: 1 };
    const copy = snapshot(Team, row);
    expect(copy).toStrictEqual({ id: 'x', title: 't' });
    expect(Object.keys(copy)).toEqual(['id', 'title']);
  });
});

describe('countChanges', () => {
  it('counts what computeChangeSet writes: new, removed, and managed rows with a changed field only', () => {
    const map = new IdentityMap();
    added(map, Employee, employee({ name: 'New' }));
    added(map, Team, { id: 't-new', title: 'x' });
    managed(map, Employee, employee({ name: 'Same' }));
    managed(map, Employee, employee({ name: 'Changed' })).row.salary = 11;
    managed(map, Employee, employee({ name: 'Nested' })).row.meta = { tags: ['a', 'b'] };
    managed(map, Employee, employee({ name: 'Removed' })).state = 'removed';
    const changes = computeChangeSet(map, NOW);
    expect(countChanges(map)).toEqual({ inserts: 2, updates: 2, deletes: 1 });
    expect(changes.size).toBe(5);
    expect(changes.updates).toHaveLength(2);
  });

  it('counts without validating: an invalid change is left for computeChangeSet to refuse', () => {
    const map = new IdentityMap();
    managed(map, Employee, employee()).row.name = '';
    expect(countChanges(map)).toEqual({ inserts: 0, updates: 1, deletes: 0 });
    refusal(() => computeChangeSet(map, NOW));
  });
});
