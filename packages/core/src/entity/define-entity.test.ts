import { describe, expect, expectTypeOf, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import type { Where } from '../query/where.js';
import {
  type Entity,
  type FieldMap,
  type InsertOf,
  type PatchOf,
  type QueryableField,
  type RowOf,
  defineEntity,
} from './define-entity.js';
import { field } from './field.js';
import { belongsTo } from './relation-definitions.js';

const Employee = defineEntity(
  'employees',
  {
    id: field.id(),
    email: field.string({ max: 320 }).unique(),
    name: field.string({ min: 1, max: 200 }),
    department: field.string().index(),
    salary: field.integer({ min: 0 }),
    rating: field.number().nullable(),
    active: field.boolean().default(true),
    hiredAt: field.datetime(),
    nickname: field.string().nullable().default('none'),
    meta: field.json<{ tags: string[] }>(),
    version: field.version(),
    createdAt: field.createdAt(),
    updatedAt: field.updatedAt(),
  },
  {
    indexes: [
      { fields: ['department', 'salary'] },
      { fields: ['name', 'hiredAt'], unique: true },
      { fields: ['salary'], name: 'pay_scale' },
    ],
  },
);

/** Runs `fn`, expects a ValidationError, and returns it. */
function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('defineEntity: valid definitions', () => {
  it('keeps the name and the field names in declaration order', () => {
    expect(Employee.name).toBe('employees');
    expect(Employee.fieldNames).toEqual([
      'id',
      'email',
      'name',
      'department',
      'salary',
      'rating',
      'active',
      'hiredAt',
      'nickname',
      'meta',
      'version',
      'createdAt',
      'updatedAt',
    ]);
  });

  it('records the managed fields by name', () => {
    expect(Employee.versionField).toBe('version');
    expect(Employee.createdAtField).toBe('createdAt');
    expect(Employee.updatedAtField).toBe('updatedAt');
  });

  it('allows managed fields under any valid name', () => {
    const E = defineEntity('things', {
      id: field.id(),
      rev: field.version(),
      born: field.createdAt(),
      touched: field.updatedAt(),
    });
    expect(E.versionField).toBe('rev');
    expect(E.createdAtField).toBe('born');
    expect(E.updatedAtField).toBe('touched');
  });

  it('leaves managed fields undefined when not declared', () => {
    const E = defineEntity('tags', { id: field.id(), label: field.string() });
    expect(E.versionField).toBeUndefined();
    expect(E.createdAtField).toBeUndefined();
    expect(E.updatedAtField).toBeUndefined();
    expect(E.indexes).toEqual([]);
  });

  it('exposes the field metadata of every field', () => {
    expect(Employee.fields.id).toEqual({
      kind: 'id',
      nullable: false,
      unique: false,
      indexed: false,
      hasDefault: false,
      max: 36,
    });
    expect(Employee.fields.name).toMatchObject({ kind: 'string', min: 1, max: 200, nullable: false });
    expect(Employee.fields.department).toMatchObject({ kind: 'string', min: 0, max: 255, indexed: true });
    expect(Employee.fields.email).toMatchObject({ unique: true, indexed: false, max: 320 });
    expect(Employee.fields.salary).toMatchObject({ kind: 'integer', min: 0 });
    expect(Employee.fields.salary!.max).toBeUndefined();
    expect(Employee.fields.rating).toMatchObject({ kind: 'number', nullable: true, hasDefault: false });
    expect(Employee.fields.active).toMatchObject({ kind: 'boolean', hasDefault: true, defaultValue: true });
    expect(Employee.fields.nickname).toMatchObject({
      nullable: true,
      hasDefault: true,
      defaultValue: 'none',
    });
    expect(Employee.fields.meta).toMatchObject({ kind: 'json', nullable: false });
    expect(Employee.fields.version!.kind).toBe('version');
    expect(Employee.fields.createdAt!.kind).toBe('createdAt');
    expect(Employee.fields.updatedAt!.kind).toBe('updatedAt');
  });

  it('names single-field indexes <entity>_<field>_key (unique) and _idx, in field order, id excluded', () => {
    expect(Employee.indexes.slice(0, 2)).toEqual([
      { name: 'employees_email_key', fields: ['email'], unique: true },
      { name: 'employees_department_idx', fields: ['department'], unique: false },
    ]);
  });

  it('adds compound indexes after the single-field ones, with derived or explicit names', () => {
    expect(Employee.indexes.slice(2)).toEqual([
      { name: 'employees_department_salary_idx', fields: ['department', 'salary'], unique: false },
      { name: 'employees_name_hiredAt_key', fields: ['name', 'hiredAt'], unique: true },
      { name: 'pay_scale', fields: ['salary'], unique: false },
    ]);
    expect(Employee.indexes).toHaveLength(5);
  });

  it('a field both unique and indexed gets only the unique index', () => {
    const E = defineEntity('users', { id: field.id(), login: field.string().index().unique() });
    expect(E.indexes).toEqual([{ name: 'users_login_key', fields: ['login'], unique: true }]);
  });

  it('copies the compound index field list', () => {
    const fields = ['name'] as ('name' | 'id')[];
    const E = defineEntity('people', { id: field.id(), name: field.string() }, { indexes: [{ fields }] });
    fields.push('id');
    expect(E.indexes[0]!.fields).toEqual(['name']);
  });

  it('returns frozen metadata', () => {
    expect(Object.isFrozen(Employee)).toBe(true);
    expect(Object.isFrozen(Employee.fields)).toBe(true);
    expect(Object.isFrozen(Employee.fieldNames)).toBe(true);
    expect(Object.isFrozen(Employee.indexes)).toBe(true);
  });

  it('accepts names of 1 to 63 characters', () => {
    const long = `a${'b'.repeat(62)}`;
    expect(() => defineEntity(long, { id: field.id(), [long]: field.string() })).not.toThrow();
    expect(() => defineEntity('x', { id: field.id(), y_2: field.string() })).not.toThrow();
  });

  it('field modifiers return new fields and leave the original unchanged', () => {
    const base = field.string();
    const nullable = base.nullable();
    expect(base.meta.nullable).toBe(false);
    expect(nullable.meta.nullable).toBe(true);
    expect(base.unique().meta.unique).toBe(true);
    expect(base.meta.unique).toBe(false);
  });
});

describe('defineEntity: refusals', () => {
  it('refuses an entity without an id field', () => {
    const error = refusal(() => defineEntity('things', { name: field.string() }));
    expect(error.message).toContain('"id"');
  });

  it('refuses an "id" field of another kind', () => {
    refusal(() => defineEntity('things', { id: field.string() }));
    refusal(() => defineEntity('things', { id: field.integer() }));
  });

  it('refuses an id field under another name', () => {
    const error = refusal(() => defineEntity('things', { key: field.id() }));
    expect(error.message).toContain('must be named "id"');
    refusal(() => defineEntity('things', { id: field.id(), otherId: field.id() }));
  });

  it.each(['and', 'or', 'not', '_id', 'constructor', 'prototype'])(
    'refuses the reserved field name %s',
    (name) => {
      const error = refusal(() => defineEntity('things', { id: field.id(), [name]: field.string() }));
      expect(error.message).toContain(`"${name}"`);
    },
  );

  // A many-to-many read returns each row's parent key as `berth_parent` beside the target's columns, and
  // joins on `berth_target`: a target field of either name would clash with them.
  it.each(['berth_parent', 'berth_target', 'berth_row_number', 'Berth_Parent', 'BERTH_x'])(
    'refuses the field name %s: the berth_ prefix is reserved for the aliases of its queries',
    (name) => {
      const error = refusal(() => defineEntity('tags', { id: field.id(), [name]: field.string() }));
      expect(error.message).toBe(
        `entity "tags": field name "${name}" is reserved: names beginning with "berth_" (in any case) are reserved for the aliases of berth's own queries`,
      );
      expect(error.issues).toEqual([{ field: name, message: expect.stringContaining('"berth_"') }]);
    },
  );

  it('refuses a belongsTo whose foreign key would take the reserved prefix', () => {
    const Tag = defineEntity('tags', { id: field.id() });
    const error = refusal(() =>
      defineEntity('links', { id: field.id(), berth_target: belongsTo(() => Tag) }),
    );
    expect(error.message).toContain('"berth_targetId" is reserved');
  });

  it('accepts a field that only contains berth or lacks the underscore', () => {
    const Thing = defineEntity('things', {
      id: field.id(),
      berthParent: field.string(),
      my_berth_x: field.string(),
    });
    expect(Thing.fieldNames).toEqual(['id', 'berthParent', 'my_berth_x']);
  });

  it('refuses __proto__ as a field name (as an own key)', () => {
    const fields: FieldMap = { id: field.id() };
    Object.defineProperty(fields, '__proto__', { value: field.string(), enumerable: true });
    expect(Object.keys(fields)).toContain('__proto__');
    refusal(() => defineEntity('things', fields));
  });

  it.each(['a-b', '1abc', '_x', 'a b', '', 'naïve', 'a.b', 'a$', `a${'b'.repeat(63)}`])(
    'refuses the invalid field name %j',
    (name) => {
      refusal(() => defineEntity('things', { id: field.id(), [name]: field.string() }));
    },
  );

  it.each(['a-b', '', '1x', 'my table', `t${'x'.repeat(63)}`])(
    'refuses the invalid entity name %j',
    (name) => {
      const error = refusal(() => defineEntity(name, { id: field.id() }));
      expect(error.message).toContain('invalid entity name');
    },
  );

  it.each([
    ['version', () => ({ id: field.id(), v1: field.version(), v2: field.version() })],
    ['createdAt', () => ({ id: field.id(), c1: field.createdAt(), c2: field.createdAt() })],
    ['updatedAt', () => ({ id: field.id(), u1: field.updatedAt(), u2: field.updatedAt() })],
  ])('refuses a second %s field', (kind, fields) => {
    const error = refusal(() => defineEntity('things', fields()));
    expect(error.message).toContain(`more than one ${kind} field`);
  });

  it('refuses a nullable or defaulted managed field', () => {
    refusal(() => defineEntity('things', { id: field.id(), version: field.version().nullable() }));
    refusal(() => defineEntity('things', { id: field.id().nullable() }));
    refusal(() => defineEntity('things', { id: field.id().default('x') }));
    refusal(() => defineEntity('things', { id: field.id(), createdAt: field.createdAt().nullable() }));
    refusal(() => defineEntity('things', { id: field.id(), v: field.version().default(3) }));
    const error = refusal(() =>
      defineEntity('things', { id: field.id(), updatedAt: field.updatedAt().default(() => new Date()) }),
    );
    expect(error.message).toContain('managed field "updatedAt"');
  });

  it('refuses an index on an unknown field', () => {
    const error = refusal(() =>
      defineEntity(
        'things',
        { id: field.id(), name: field.string() },
        { indexes: [{ fields: ['name', 'nope' as 'name'] }] },
      ),
    );
    expect(error.message).toContain('unknown field "nope"');
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])(
    'refuses an index on %s, which is no field (only inherited by plain objects)',
    (name) => {
      refusal(() =>
        defineEntity(
          'things',
          { id: field.id(), name: field.string() },
          { indexes: [{ fields: [name as 'name'] }] },
        ),
      );
    },
  );
});

describe('defineEntity: malformed indexes', () => {
  const fields = () => ({ id: field.id(), a: field.string(), b: field.string().unique() });

  it('refuses an index without fields', () => {
    const error = refusal(() => defineEntity('things', fields(), { indexes: [{ fields: [] }] }));
    expect(error.message).toContain('index without fields');
  });

  it('refuses a field listed twice in one index', () => {
    const error = refusal(() => defineEntity('things', fields(), { indexes: [{ fields: ['a', 'a'] }] }));
    expect(error.message).toContain('"a" twice');
  });

  it('refuses two indexes with the same name', () => {
    // The unique field b already makes things_b_key.
    const derived = refusal(() =>
      defineEntity('things', fields(), { indexes: [{ fields: ['b'], unique: true }] }),
    );
    expect(derived.message).toContain('"things_b_key"');
    refusal(() =>
      defineEntity('things', fields(), {
        indexes: [
          { fields: ['a'], name: 'ix' },
          { fields: ['a', 'b'], name: 'ix' },
        ],
      }),
    );
  });

  it('accepts the same fields under different names or uniqueness', () => {
    const E = defineEntity('things', fields(), {
      indexes: [{ fields: ['a', 'b'] }, { fields: ['a', 'b'], unique: true }, { fields: ['b', 'a'] }],
    });
    expect(E.indexes.map((i) => i.name)).toEqual([
      'things_b_key',
      'things_a_b_idx',
      'things_a_b_key',
      'things_b_a_idx',
    ]);
  });
});

describe('inferred types', () => {
  type E = typeof Employee;

  it('RowOf has every field with its stored type', () => {
    expectTypeOf<RowOf<E>>().toEqualTypeOf<{
      id: string;
      email: string;
      name: string;
      department: string;
      salary: number;
      rating: number | null;
      active: boolean;
      hiredAt: Date;
      nickname: string | null;
      meta: { tags: string[] };
      version: number;
      createdAt: Date;
      updatedAt: Date;
    }>();
  });

  it('InsertOf omits managed fields; defaults and nullables are optional', () => {
    expectTypeOf<InsertOf<E>>().toEqualTypeOf<{
      email: string;
      name: string;
      department: string;
      salary: number;
      hiredAt: Date;
      meta: { tags: string[] };
      rating?: number | null;
      active?: boolean;
      nickname?: string | null;
    }>();
    expectTypeOf<InsertOf<E>>().not.toHaveProperty('id');
    expectTypeOf<InsertOf<E>>().not.toHaveProperty('version');
    expectTypeOf<InsertOf<E>>().not.toHaveProperty('createdAt');
    expectTypeOf<InsertOf<E>>().not.toHaveProperty('updatedAt');
    const ok: InsertOf<E> = {
      email: 'a@b.c',
      name: 'A',
      department: 'eng',
      salary: 1,
      hiredAt: new Date(),
      meta: { tags: [] },
    };
    expect(ok.name).toBe('A');
    // @ts-expect-error a required field is missing
    const missing: InsertOf<E> = {
      email: 'a@b.c',
      name: 'A',
      department: 'eng',
      hiredAt: new Date(),
      meta: { tags: [] },
    };
    const managed: InsertOf<E> = {
      ...ok,
      // @ts-expect-error the id is set by the data layer
      id: 'x',
    };
    expect([missing, managed]).toHaveLength(2);
  });

  it('PatchOf is every caller-owned field, optional', () => {
    expectTypeOf<PatchOf<E>>().toEqualTypeOf<{
      email?: string;
      name?: string;
      department?: string;
      salary?: number;
      rating?: number | null;
      active?: boolean;
      hiredAt?: Date;
      nickname?: string | null;
      meta?: { tags: string[] };
    }>();
    expectTypeOf<{}>().toMatchTypeOf<PatchOf<E>>();
    // @ts-expect-error version is set by the data layer
    const patch: PatchOf<E> = { version: 2 };
    expect(patch).toBeDefined();
  });

  it('Where and QueryableField exclude JSON fields', () => {
    expectTypeOf<QueryableField<E>>().toEqualTypeOf<
      | 'id'
      | 'email'
      | 'name'
      | 'department'
      | 'salary'
      | 'rating'
      | 'active'
      | 'hiredAt'
      | 'nickname'
      | 'version'
      | 'createdAt'
      | 'updatedAt'
    >();
    expectTypeOf<Where<E>>().not.toHaveProperty('meta');
    expectTypeOf<Where<E>>().toHaveProperty('salary');
    const where: Where<E> = {
      salary: { gte: 1, in: [1, 2] },
      name: { contains: 'x' },
      rating: null,
      hiredAt: new Date(),
      or: [{ active: true }, { not: { department: 'eng' } }],
    };
    // @ts-expect-error JSON fields cannot be filtered on
    const json: Where<E> = { meta: { tags: [] } };
    // @ts-expect-error contains applies to strings only
    const contains: Where<E> = { salary: { contains: '1' } };
    // @ts-expect-error the value must have the field's type
    const wrongType: Where<E> = { salary: '5' };
    expect([where, json, contains, wrongType]).toHaveLength(4);
  });

  it('the entity type carries its name', () => {
    expectTypeOf(Employee.name).toEqualTypeOf<'employees'>();
    expectTypeOf(Employee).toMatchTypeOf<Entity>();
  });
});
