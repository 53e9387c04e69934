import {
  type Database,
  type Entity,
  ForeignKeyViolationError,
  type MigrationDriver,
  MigrationError,
  type MigrationSource,
  SchemaDriftError,
  UnsupportedFeatureError,
  ValidationError,
  belongsTo,
  defineEntity,
  field,
  migrateBaseline,
  migrateDown,
  migrateUp,
  migrationChecksum,
  migrationStatus,
  planMigration,
  planSplitMigration,
} from '@berth/core';
import { describe, expect, it } from 'vitest';
import { sourceFromText } from '../support/migration-files.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/**
 * One token per suite registration: tables and history tables of earlier runs on a server database, and of
 * another suite run by the same file on the same database, never collide.
 */
const newToken = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

const people = (run: string, tag: string) =>
  defineEntity(`cm${run}${tag}`, {
    id: field.id(),
    name: field.string({ max: 100 }).unique(),
    age: field.integer(),
    nickname: field.string({ max: 30 }).nullable(),
  });

/** Migration support on a connection of `db`, for one call. */
const withDriver = <T>(db: Database, fn: (d: MigrationDriver) => Promise<T>) => db.withMigrations(fn);

/** Drops these tables (collections) through a rendered migration, recorded in the test's own history. */
async function dropTables(db: Database, history: string, tables: string[]): Promise<void> {
  const { text, extension } = await withDriver(db, async (d) => ({
    extension: d.extension,
    text: d.render(
      tables.map(
        (table) => ({ kind: 'dropTable', table, destructive: true, reason: 'test cleanup' }) as const,
      ),
      'cleanup',
    ),
  }));
  // A history of its own: the test's history holds files this call does not pass.
  await migrateUp(db, [await sourceFromText('99999999_cleanup', text, extension)], {
    historyTable: `${history}x`,
  });
}

export function migrationCases(ctx: SuiteContext): void {
  const run = newToken();
  if (ctx.target.migrationsRefused) {
    describe('migrations', () => {
      it('migrateUp is refused with UnsupportedFeatureError, and nothing is applied', async () => {
        const history = `berth_m${run}r`;
        const table = `cm${run}r`;
        const db = await ctx.open({ entities: [] });
        const source = await withDriver(db, async (d) => onceSource(d, table));
        const error = await rejection(
          migrateUp(db, [source], { historyTable: history }),
          UnsupportedFeatureError,
        );
        expect((error as UnsupportedFeatureError).feature).toBe('migrations');
        // Introspection needs no lock: it reads what ensureSchema made.
        const P = people(run, 'q');
        await db.ensureSchema([P]);
        const live = await withDriver(db, (d) => d.introspect());
        expect(live.tables.map((t) => t.name)).toContain(P.name);
        expect(live.tables.map((t) => t.name)).not.toContain(table);
        await db.execute`DROP TABLE ${db.sql.id(P.name)}`;
      });
    });
    return;
  }
  describe('migrations', () => {
    it('introspection reads back what ensureSchema made, and the diff against the entities is empty', async () => {
      const P = people(run, 'i');
      const db = await ctx.open({ entities: [P] });
      const live = await withDriver(db, (d) => d.introspect());
      const table = live.tables.find((t) => t.name === P.name);
      expect(table).toBeDefined();
      expect(table!.indexes).toContainEqual({ name: `${P.name}_name_key`, columns: ['name'], unique: true });
      if (table!.columns) {
        expect(table!.columns.map((c) => c.name)).toEqual(P.fieldNames);
        const byName = Object.fromEntries(table!.columns.map((c) => [c.name, c]));
        expect(byName.name).toMatchObject({ kind: 'string', length: 100, nullable: false });
        expect(byName.age).toMatchObject({ kind: 'integer', nullable: false });
        expect(byName.nickname).toMatchObject({ kind: 'string', length: 30, nullable: true });
      }
      const plan = await planMigration(db, [P], 'nothing', { dropTables: false });
      expect(plan.steps).toEqual([]);
      expect(plan.text).toBe('');
      await dropTables(db, `berth_m${run}i`, [P.name]);
    });

    it('generate -> up -> diff is empty, through adding, renaming with the hint, changing kind, indexes; destructive steps refused without the flag', async () => {
      const history = `berth_m${run}g`;
      const V1 = people(run, 'g');
      const db = await ctx.open({ entities: [] });
      const only = { dropTables: false } as const;
      const step = async (id: string, entities: Entity[], allowDestructive = false) => {
        const plan = await planMigration(db, entities, id, { ...only, allowDestructive });
        expect(plan.text).not.toBe('');
        const source = await sourceFromText(id, plan.text, plan.extension);
        expect((await migrateUp(db, [...applied, source], { historyTable: history })).applied).toEqual([id]);
        applied.push(source);
        expect((await planMigration(db, entities, 'again', only)).steps).toEqual([]);
        return plan;
      };
      const applied: MigrationSource[] = [];

      const first = await step('20260101T000000_create', [V1]);
      expect(first.steps.map((s) => s.kind)).toEqual(['createTable', 'createIndex']);
      const row = await db.repository(V1).insert({ name: 'Ada', age: 36 });

      const V2 = defineEntity(
        V1.name,
        {
          id: field.id(),
          name: field.string({ max: 100 }).unique(),
          years: field.integer().renamedFrom('age'),
          nickname: field.string({ max: 30 }).nullable(),
          phone: field.string({ max: 20 }).nullable().index(),
          team: field.string({ max: 10 }).default('core'),
        },
        { indexes: [{ fields: ['team', 'name'], unique: true }] },
      );
      const second = await step('20260101T000001_expand', [V2]);
      expect(second.steps.some((s) => s.destructive)).toBe(false);
      const schemaless = await withDriver(db, async (d) => d.target.schemaless);
      if (!schemaless) {
        expect(second.steps.map((s) => s.kind)).toEqual([
          'renameColumn',
          'addColumn',
          'addColumn',
          'createIndex',
          'createIndex',
        ]);
        // The rename kept the value; the added NOT NULL column took its constant default on the old row.
        expect(await db.repository(V2).findById(row.id)).toMatchObject({
          years: 36,
          team: 'core',
          phone: null,
        });
      } else {
        // No columns; the collection's JSON-schema validator follows the fields (years, phone, team).
        expect(second.steps.map((s) => s.kind)).toEqual(['setValidator', 'createIndex', 'createIndex']);
        expect(second.text).toContain('collMod');
        // team (NOT NULL, constant default) becomes required: the old document is backfilled first.
        expect(second.text).toContain('$exists: false');
        expect(await db.repository(V2).findById(row.id)).toMatchObject({ team: 'core', phone: null });
      }

      // integer -> string: a change of kind, destructive.
      const V3 = defineEntity(V1.name, {
        id: field.id(),
        name: field.string({ max: 100 }).unique(),
        years: field.string({ max: 10 }),
        nickname: field.string({ max: 30 }).nullable(),
        team: field.string({ max: 10 }).default('core'),
      });
      if (!schemaless) {
        const refused = await rejection(planMigration(db, [V3], 'kind', only), MigrationError);
        expect(refused.reason).toBe('destructive');
        expect(refused.message).toContain('years');
        expect(refused.message).toContain('phone');
        const third = await step('20260101T000002_contract', [V3], true);
        expect(third.text).toContain('DESTRUCTIVE');
        expect((await db.repository(V3).findById(row.id))?.years).toBe('36');
      } else {
        // A change of kind is a new validator (collMod), not a destructive step: no document changes.
        const third = await step('20260101T000002_kind', [V3]);
        // (V3 no longer declares phone's index nor the composite one.)
        expect(third.steps.map((s) => s.kind)).toEqual(['dropIndex', 'dropIndex', 'setValidator']);
        expect(third.text).toContain('"collMod"');
        // The previous version of the code still writes years as a number: the server refuses the document
        // with a typed ValidationError naming the field, and nothing is written.
        const refused = await rejection(
          db.repository(V2).insert({ name: 'Old', years: 5, team: 'core' }),
          ValidationError,
        );
        expect(refused.issues.map((i) => i.field)).toContain('years');
        expect(await db.repository(V3).count({ name: 'Old' })).toBe(0);
        await db.repository(V3).insert({ name: 'New', years: '5' });
      }
      await dropTables(db, history, [V1.name]);
    });

    it('an online plan builds indexes on existing tables without blocking writes, and applies', async () => {
      const history = `berth_m${run}o`;
      const P = people(run, 'o');
      const db = await ctx.open({ entities: [P] });
      await db.repository(P).insert({ name: 'Ada', age: 36 });
      const P2 = defineEntity(P.name, {
        ...fieldsOf(),
        age: field.integer().index(),
        tag: field.string({ max: 5 }).default('x'),
      });
      const plan = await planMigration(db, [P2], 'online', { dropTables: false, online: true });
      if (plan.flavour === 'postgres') {
        expect(plan.text).toContain('-- berth:no-transaction');
        expect(plan.text).toContain(`CREATE INDEX CONCURRENTLY "${P.name}_age_idx"`);
      } else if (plan.flavour === 'mysql') {
        expect(plan.text).toContain('ALGORITHM=INPLACE, LOCK=NONE');
        expect(plan.text).toContain('ALGORITHM=INPLACE LOCK=NONE');
      }
      const source = await sourceFromText('20260101T000000_online', plan.text, plan.extension);
      expect((await migrateUp(db, [source], { historyTable: history })).applied).toEqual([source.id]);
      expect((await planMigration(db, [P2], 'again', { dropTables: false })).steps).toEqual([]);
      await dropTables(db, history, [P.name]);
    });

    it('foreign keys: adding a belongsTo, changing its onDelete and removing it each generate a file that applies, then diff is empty', async () => {
      const history = `berth_m${run}k`;
      const Team = defineEntity(`cm${run}kt`, { id: field.id(), name: field.string({ max: 20 }) });
      const memberFields = { id: field.id(), name: field.string({ max: 20 }) };
      const member = (onDelete?: 'restrict' | 'cascade') =>
        defineEntity(
          `cm${run}km`,
          onDelete === undefined
            ? { ...memberFields, teamId: field.string({ max: 36 }).nullable().index() }
            : { ...memberFields, team: belongsTo(() => Team, { onDelete, nullable: true }) },
        );
      const db = await ctx.open({ entities: [] });
      const only = { dropTables: false } as const;
      const applied: MigrationSource[] = [];
      const step = async (id: string, entities: Entity[]) => {
        const plan = await planMigration(db, entities, id, only);
        if (plan.text !== '') {
          const source = await sourceFromText(id, plan.text, plan.extension);
          await migrateUp(db, [...applied, source], { historyTable: history });
          applied.push(source);
        }
        expect((await planMigration(db, entities, 'again', only)).steps).toEqual([]);
        return plan.steps.map((s) => s.kind);
      };
      const keys = async () =>
        (await withDriver(db, (d) => d.introspect())).tables.find((t) => t.name === member().name)!
          .foreignKeys;
      const enforced = ctx.capabilities.foreignKeys === true;

      expect(await step('20260101T000000_create', [Team, member()])).toContain('createTable');
      const team = await db.repository(Team).insert({ name: 'core' });
      const Restrict = member('restrict');
      const added = await step('20260101T000001_relation', [Team, Restrict]);
      if (enforced) {
        expect(added).toEqual(['addForeignKey']);
        expect(await keys()).toEqual([
          {
            name: `${Restrict.name}_teamId_fkey`,
            columns: ['teamId'],
            referencedTable: Team.name,
            referencedColumns: ['id'],
            onDelete: 'restrict',
          },
        ]);
        await rejection(
          db.repository(Restrict).insert({ name: 'x', teamId: 'no-such-team' }),
          ForeignKeyViolationError,
        );
      } else {
        // MongoDB keeps no foreign keys: nothing to generate for one.
        expect(added).toEqual([]);
      }

      const Cascade = member('cascade');
      if (enforced) {
        // ensureSchema does not alter the key, and does not report success over it either.
        const drift = await rejection(db.ensureSchema([Team, Cascade]), SchemaDriftError);
        expect(drift.differences).toEqual([
          `${Cascade.name}: foreign key ${Cascade.name}_teamId_fkey is redefined (on delete restrict -> cascade)`,
        ]);
      }
      const changed = await step('20260101T000002_cascade', [Team, Cascade]);
      expect(changed).toEqual(enforced ? ['dropForeignKey', 'addForeignKey'] : []);
      await db.repository(Cascade).insert({ name: 'ada', teamId: team.id });
      await db.repository(Team).delete(team.id);
      expect(await db.repository(Cascade).count()).toBe(enforced ? 0 : 1);

      const removed = await step('20260101T000003_drop_relation', [Team, member()]);
      expect(removed).toEqual(enforced ? ['dropForeignKey'] : []);
      if (enforced) expect(await keys()).toEqual([]);
      await dropTables(db, history, [member().name, Team.name]);
    });

    it('down reverts the last applied file where it declares one; a file without one is refused and stays applied', async () => {
      const history = `berth_m${run}n`;
      const P = people(run, 'n');
      const db = await ctx.open({ entities: [] });
      const only = { dropTables: false } as const;
      const created = await planMigration(db, [P], 'create', only);
      // The generated file plus a hand-written down part, as a user writes one.
      const text =
        created.extension === '.mjs'
          ? `${created.text}\nexport async function down(db) {\n  await db.collection(${JSON.stringify(P.name)}).drop();\n}\n`
          : `${created.text}\n-- down\nDROP TABLE ${P.name};\n`;
      const create = await sourceFromText('20260101T000000_create', text, created.extension);
      const tables = async () => (await withDriver(db, (d) => d.introspect())).tables.map((t) => t.name);

      await migrateUp(db, [create], { historyTable: history });
      expect(await tables()).toContain(P.name);
      expect(await migrateDown(db, [create], { historyTable: history })).toEqual({ reverted: create.id });
      expect(await tables()).not.toContain(P.name);
      const status = await migrationStatus(db, [create], [], { historyTable: history, dropTables: false });
      expect(status.applied).toEqual([]);
      expect(status.pending).toEqual([create.id]);
      // Reverted, it applies again.
      expect((await migrateUp(db, [create], { historyTable: history })).applied).toEqual([create.id]);

      const P2 = defineEntity(P.name, { ...fieldsOf(), age: field.integer().index() });
      const indexed = await planMigration(db, [P2], 'index', only);
      const index = await sourceFromText('20260101T000001_index', indexed.text, indexed.extension);
      await migrateUp(db, [create, index], { historyTable: history });
      const refused = await rejection(
        migrateDown(db, [create, index], { historyTable: history }),
        MigrationError,
      );
      expect(refused.reason).toBe('irreversible');
      expect(refused.migration).toBe(index.id);
      expect(refused.message).toContain('declares no down');
      const after = await migrationStatus(db, [create, index], [], {
        historyTable: history,
        dropTables: false,
      });
      expect(after.applied.map((a) => a.id)).toEqual([create.id, index.id]);

      if (created.extension === '.sql') {
        // A failing down leaves the file applied (rolled back where DDL is transactional).
        const broken = await sourceFromText(
          '20260101T000002_broken',
          `SELECT 1;\n-- down\nDROP TABLE ${P.name}_missing;\n`,
          '.sql',
        );
        const all = [create, index, broken];
        await migrateUp(db, all, { historyTable: history });
        await expect(migrateDown(db, all, { historyTable: history })).rejects.toThrow();
        const kept = await migrationStatus(db, all, [], { historyTable: history, dropTables: false });
        expect(kept.applied.map((a) => a.id)).toEqual([create.id, index.id, broken.id]);
      }
      await dropTables(db, history, [P.name]);
    });

    it('a split plan: the expand file applies alone (up --to) and the old code keeps writing; contract applies later; then diff is empty', async () => {
      const history = `berth_m${run}x`;
      const P = people(run, 'x');
      const db = await ctx.open({ entities: [] });
      const only = { dropTables: false } as const;
      const created = await planMigration(db, [P], 'create', only);
      const create = await sourceFromText('20260101T000000_create', created.text, created.extension);
      await migrateUp(db, [create], { historyTable: history });
      await db.repository(P).insert({ name: 'Ada', age: 36, nickname: 'a' });

      // The new version: nickname is gone, phone (indexed) and team (with a default) are new.
      const { nickname: _gone, ...kept } = fieldsOf();
      const P2 = defineEntity(P.name, {
        ...kept,
        phone: field.string({ max: 20 }).nullable().index(),
        team: field.string({ max: 10 }).default('core'),
      });
      const ids = { expand: '20260101T000001_v2_expand', contract: '20260101T000002_v2_contract' };
      const schemaless = await withDriver(db, async (d) => d.target.schemaless);
      if (!schemaless) {
        // The dropped column is destructive: even split, it needs the flag.
        const refused = await rejection(planSplitMigration(db, [P2], ids, only), MigrationError);
        expect(refused.reason).toBe('destructive');
      }
      const split = await planSplitMigration(db, [P2], ids, { ...only, allowDestructive: true });
      expect(split.expand.steps.map((s) => s.kind)).toEqual(
        schemaless ? ['createIndex'] : ['addColumn', 'addColumn', 'createIndex'],
      );
      expect(split.expand.steps.some((s) => s.destructive)).toBe(false);
      // MongoDB: the validator (team becomes required) waits for contract: old code does not write team.
      expect(split.contract.steps.map((s) => s.kind)).toEqual(schemaless ? ['setValidator'] : ['dropColumn']);
      if (split.expand.flavour === 'postgres') {
        expect(split.expand.text).toContain('-- berth:no-transaction');
        expect(split.expand.text).toContain(`CREATE INDEX CONCURRENTLY "${P.name}_phone_idx"`);
      } else if (split.expand.flavour === 'mysql') {
        expect(split.expand.text).toContain('ALGORITHM=INPLACE');
      }
      const expand = await sourceFromText(ids.expand, split.expand.text, split.expand.extension);
      const sources = [create, expand];
      if (split.contract.text !== '')
        sources.push(await sourceFromText(ids.contract, split.contract.text, split.contract.extension));

      const missing = await rejection(
        migrateUp(db, sources, { historyTable: history, to: '20990101T000000_nope' }),
        MigrationError,
      );
      expect(missing.reason).toBe('missing-file');
      expect((await migrateUp(db, sources, { historyTable: history, to: ids.expand })).applied).toEqual([
        ids.expand,
      ]);
      // The previous version still runs against the expanded schema: it writes rows without the new fields.
      await db.repository(P).insert({ name: 'Bob', age: 3, nickname: 'b' });
      const between = await migrationStatus(db, sources, [P2], { historyTable: history, dropTables: false });
      expect(between.pending).toEqual([ids.contract]);

      expect((await migrateUp(db, sources, { historyTable: history })).applied).toEqual([ids.contract]);
      expect((await planMigration(db, [P2], 'again', only)).steps).toEqual([]);
      {
        const rows = (await db.repository(P2).find({})).items.sort((a, b) => (a.name < b.name ? -1 : 1));
        expect(rows.map((r) => [r.name, r.team, r.phone])).toEqual([
          ['Ada', 'core', null],
          ['Bob', 'core', null],
        ]);
      }
      await dropTables(db, history, [P.name]);
    });

    it('two migrateUp runs at once apply each file exactly once (the migration lock)', async () => {
      const history = `berth_m${run}c`;
      const table = `cm${run}c`;
      const first = await ctx.open({ entities: [] });
      const second = ctx.capabilities.multipleConnections ? await ctx.open({ entities: [] }) : first;
      const source = await withDriver(first, async (d) => onceSource(d, table));
      const runs = await Promise.all([
        migrateUp(first, [source], { historyTable: history }),
        migrateUp(second, [source], { historyTable: history }),
      ]);
      expect(runs.map((r) => r.applied).sort()).toEqual([[], [source.id]]);
      expect(await ctx.target.readRaw(table)).toHaveLength(1);
      const status = await migrationStatus(first, [source], [], { historyTable: history, dropTables: false });
      expect(status.applied.map((a) => [a.id, a.complete])).toEqual([[source.id, true]]);
      expect(status.pending).toEqual([]);
      await dropTables(first, history, [table]);
    });

    it('an applied file edited afterwards is refused; status lists applied, pending, modified and drift', async () => {
      const history = `berth_m${run}s`;
      const P = people(run, 's');
      const db = await ctx.open({ entities: [] });
      const plan = await planMigration(db, [P], 'create', { dropTables: false });
      const source = await sourceFromText('20260101T000000_create', plan.text, plan.extension);
      const pending = await sourceFromText('20260101T000001_later', plan.text, plan.extension);
      await migrateUp(db, [source], { historyTable: history });

      const edited = { ...source, text: `${source.text}\n`, checksum: migrationChecksum(`${source.text}\n`) };
      const refused = await rejection(migrateUp(db, [edited], { historyTable: history }), MigrationError);
      expect(refused.reason).toBe('checksum-mismatch');
      expect(refused.migration).toBe(source.id);
      const missing = await rejection(migrateUp(db, [], { historyTable: history }), MigrationError);
      expect(missing.reason).toBe('missing-file');

      const P2 = defineEntity(P.name, { ...fieldsOf(), extra: field.boolean().nullable() });
      const status = await migrationStatus(db, [edited, pending], [P2], {
        historyTable: history,
        dropTables: false,
      });
      expect(status.applied.map((a) => a.id)).toEqual([source.id]);
      expect(status.modified).toEqual([source.id]);
      expect(status.pending).toEqual([pending.id]);
      const schemaless = await withDriver(db, async (d) => d.target.schemaless);
      expect(status.drift.steps.map((s) => s.kind)).toEqual(schemaless ? ['setValidator'] : ['addColumn']);
      await dropTables(db, history, [P.name]);
    });

    it('baseline adopts migrations on a database made by ensureSchema: refused over drift, then marks files applied without running them', async () => {
      const history = `berth_m${run}b`;
      const P = people(run, 'b');
      const db = await ctx.open({ entities: [] });
      const only = { dropTables: false } as const;
      // The first file, as generate writes it for an empty database; the database is then made by
      // ensureSchema (the application before it adopted migrations), with a row in it.
      const created = await planMigration(db, [P], 'create', only);
      const create = await sourceFromText('20260101T000000_create', created.text, created.extension);
      await db.ensureSchema([P]);
      await db.repository(P).insert({ name: 'Ada', age: 36 });
      const P2 = defineEntity(P.name, { ...fieldsOf(), extra: field.boolean().nullable() });
      const added = await planMigration(db, [P2], 'extra', only);
      const extra = await sourceFromText('20260101T000001_extra', added.text, added.extension);
      const sources = [create, extra];

      // Baselining every file with the new entities: the database lacks what the second file adds.
      const refused = await rejection(
        migrateBaseline(db, sources, [P2], { ...only, historyTable: history }),
        MigrationError,
      );
      expect(refused.reason).toBe('drift');
      expect(refused.message).toContain(P.name);
      expect((await migrationStatus(db, sources, [P2], { ...only, historyTable: history })).applied).toEqual(
        [],
      );

      // Up to the first file, with the entities it was generated from: recorded, not run (the row stays).
      const result = await migrateBaseline(db, sources, [P], {
        ...only,
        historyTable: history,
        to: create.id,
      });
      expect(result.baselined).toEqual([create.id]);
      const status = await migrationStatus(db, sources, [P], { ...only, historyTable: history });
      expect(status.applied.map((a) => [a.id, a.complete, a.checksum])).toEqual([
        [create.id, true, create.checksum],
      ]);
      expect(status.pending).toEqual([extra.id]);
      expect(
        (await migrateBaseline(db, [create], [P], { ...only, historyTable: history })).baselined,
      ).toEqual([]);
      // up applies only the later file; the row written before migrations is still there.
      expect((await migrateUp(db, sources, { historyTable: history })).applied).toEqual([extra.id]);
      expect((await planMigration(db, [P2], 'again', only)).steps).toEqual([]);
      expect((await db.repository(P2).find({})).items.map((r) => [r.name, r.extra])).toEqual([['Ada', null]]);
      await dropTables(db, history, [P.name]);
    });

    it('ensureSchema never reports success over a table that lacks a column: SchemaDriftError names it', async () => {
      const P = people(run, 'd');
      const db = await ctx.open({ entities: [P] });
      const P2 = defineEntity(P.name, { ...fieldsOf(), extra: field.boolean().nullable() });
      const schemaless = await withDriver(db, async (d) => d.target.schemaless);
      if (schemaless) {
        // Documents have no columns to lack: the new field is simply absent (null) on old documents.
        await db.ensureSchema([P2]);
      } else {
        const drift = await rejection(db.ensureSchema([P2]), SchemaDriftError);
        expect(drift.differences).toEqual([`${P.name}: column extra is missing`]);
        expect(drift.message).toContain('berth migrate');
        const P3 = defineEntity(P.name, { ...fieldsOf(), age: field.string({ max: 10 }) });
        const changed = await rejection(db.ensureSchema([P3]), SchemaDriftError);
        expect(changed.differences[0]).toContain('column age: type');
      }
      await dropTables(db, `berth_m${run}d`, [P.name]);
    });

    it('a failed migration leaves nothing where DDL is transactional, and resumes at the failed statement where not', async () => {
      const history = `berth_m${run}f`;
      const table = `cm${run}f`;
      const db = await ctx.open({ entities: [] });
      const driver = await withDriver(db, async (d) => ({
        flavour: d.flavour,
        transactional: d.transactionalDdl,
      }));
      const id = '20260101T000000_fails';
      if (driver.flavour === 'mongodb') {
        const broken: MigrationSource = {
          id,
          checksum: 'a',
          text: 'a',
          up: async (native) => {
            await (native as MongoDbLike).createCollection(table);
            throw new Error('the second step failed');
          },
        };
        await expect(migrateUp(db, [broken], { historyTable: history })).rejects.toThrow(
          'the second step failed',
        );
        const fixed: MigrationSource = {
          id,
          checksum: 'b',
          text: 'b',
          up: async (native) => {
            await (native as MongoDbLike).collection(table).insertOne({ _id: 'a' });
          },
        };
        expect((await migrateUp(db, [fixed], { historyTable: history })).applied).toEqual([id]);
      } else {
        const create = `CREATE TABLE ${table} (id varchar(36) NOT NULL, PRIMARY KEY (id));`;
        const failing = await sourceFromText(
          id,
          `${create}\nINSERT INTO ${table}_missing (id) VALUES ('a');\n`,
          '.sql',
        );
        await expect(migrateUp(db, [failing], { historyTable: history })).rejects.toThrow();
        const status = await migrationStatus(db, [failing], [], { historyTable: history, dropTables: false });
        const tables = (await withDriver(db, (d) => d.introspect())).tables.map((t) => t.name);
        if (driver.transactional) {
          expect(status.applied).toEqual([]);
          expect(tables).not.toContain(table);
        } else {
          expect(status.applied.map((a) => [a.complete, a.stepsDone])).toEqual([[false, 1]]);
          expect(tables).toContain(table);
        }
        // The failed statement is fixed; on a resumed run the CREATE TABLE is not sent again (it would fail).
        const fixed = await sourceFromText(
          id,
          `${create}\nINSERT INTO ${table} (id) VALUES ('a');\n`,
          '.sql',
        );
        expect((await migrateUp(db, [fixed], { historyTable: history })).applied).toEqual([id]);
      }
      expect(await ctx.target.readRaw(table)).toHaveLength(1);
      await dropTables(db, history, [table]);
    });
  });
}

interface MongoDbLike {
  createCollection(name: string): Promise<unknown>;
  collection(name: string): { insertOne(doc: Record<string, unknown>): Promise<unknown> };
}

/** A migration that may run once only: it creates a table (collection) and inserts one row, slowly. */
async function onceSource(driver: MigrationDriver, table: string): Promise<MigrationSource> {
  const id = '20260101T000000_once';
  if (driver.extension === '.mjs') {
    return {
      id,
      checksum: migrationChecksum(table),
      text: table,
      up: async (native) => {
        // Slow enough that the second runner is waiting for the lock meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await (native as MongoDbLike).collection(table).insertOne({ _id: 'once' });
      },
    };
  }
  const sleep = driver.flavour === 'postgres' ? 'SELECT pg_sleep(0.3);' : 'DO SLEEP(0.3);';
  return sourceFromText(
    id,
    `CREATE TABLE ${table} (id varchar(36) NOT NULL, PRIMARY KEY (id));\n${sleep}\nINSERT INTO ${table} (id) VALUES ('once');\n`,
    '.sql',
  );
}

/** The fields of `people`, to spread into changed versions. */
function fieldsOf() {
  return {
    id: field.id(),
    name: field.string({ max: 100 }).unique(),
    age: field.integer(),
    nickname: field.string({ max: 30 }).nullable(),
  };
}
