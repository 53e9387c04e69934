import { belongsTo, defineEntity, diffSchema, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { parseColumnType, withoutCollation } from './parse-column-type.js';
import { renderSqlMigration } from './render-sql.js';
import { sqlSchemaTarget } from './sql-schema-target.js';
import { splitMigration, splitStatements } from './split-statements.js';

describe('splitStatements', () => {
  it('splits at semicolons ending a line, skips comments between statements, keeps multi-line statements', () => {
    const text = [
      '-- header',
      '',
      'CREATE TABLE t (',
      '  a int -- inline',
      ');',
      "INSERT INTO t VALUES ('x;y');",
      '-- trailing comment',
      'SELECT 1',
    ].join('\n');
    expect(splitStatements(text)).toEqual([
      'CREATE TABLE t (\n  a int -- inline\n)',
      "INSERT INTO t VALUES ('x;y')",
      'SELECT 1',
    ]);
    expect(splitStatements('-- nothing\n\n')).toEqual([]);
  });
});

describe('splitMigration', () => {
  it('splits a file at its `-- down` line; no such line means no down part', () => {
    expect(splitMigration('CREATE TABLE t (a int);\n-- Down\nDROP TABLE t;\n')).toEqual({
      up: ['CREATE TABLE t (a int)'],
      down: ['DROP TABLE t'],
    });
    expect(splitMigration('-- header\nCREATE TABLE t (a int);\n-- downgrade notes\n')).toEqual({
      up: ['CREATE TABLE t (a int)'],
      down: undefined,
    });
    expect(splitMigration('SELECT 1;\n-- down\n')).toEqual({ up: ['SELECT 1'], down: [] });
  });
});

describe('parseColumnType', () => {
  it('reads canonical spellings into neutral kinds', () => {
    expect(parseColumnType('varchar(36)')).toEqual({ kind: 'string', type: 'varchar(36)', length: 36 });
    expect(parseColumnType('mediumtext')).toEqual({ kind: 'string', type: 'mediumtext' });
    expect(parseColumnType('bigint')).toEqual({ kind: 'integer', type: 'bigint', bits: 64 });
    expect(parseColumnType('int')).toEqual({ kind: 'integer', type: 'int', bits: 32 });
    expect(parseColumnType('tinyint(1)').kind).toBe('boolean');
    expect(parseColumnType('double precision').kind).toBe('float');
    expect(parseColumnType('timestamptz(3)').kind).toBe('datetime');
    expect(parseColumnType('datetime(3)').kind).toBe('datetime');
    expect(parseColumnType('jsonb').kind).toBe('json');
    expect(parseColumnType('numeric(10,2)').kind).toBe('decimal');
    expect(parseColumnType('date').kind).toBe('date');
    expect(parseColumnType('bytea').kind).toBe('bytes');
    expect(parseColumnType("enum('a','b')").kind).toBe('enum');
    expect(parseColumnType('point').kind).toBe('unknown');
  });

  it('spells a type alike whatever the spaces around its parentheses and commas', () => {
    expect(parseColumnType('decimal(34, 4)')).toEqual(parseColumnType('decimal(34,4)'));
    expect(parseColumnType(' numeric( 10 , 2 ) ').type).toBe('numeric(10,2)');
  });

  it('drops a dialect column type collation, so both sides of a diff are spelled alike', () => {
    expect(withoutCollation('varchar(255) COLLATE "C"')).toBe('varchar(255)');
    expect(withoutCollation('varchar(255) COLLATE utf8mb4_bin')).toBe('varchar(255)');
  });
});

const V1 = defineEntity('people', { id: field.id(), age: field.integer() });
const V2 = defineEntity('people', {
  id: field.id(),
  years: field.string({ max: 10 }).renamedFrom('age'),
  team: field.string({ max: 10 }).default("o'brien\\"),
  joined: field.datetime(),
});
const live = (dialect: typeof postgresDialect) => ({
  tables: [
    {
      name: 'people',
      columns: V1.fieldNames.map((n) => ({
        name: n,
        ...sqlSchemaTarget(dialect).columnType(V1.fields[n]!),
        nullable: false,
        default: null,
      })),
      indexes: [],
      foreignKeys: [],
    },
  ],
});

describe('renderSqlMigration', () => {
  it('writes PostgreSQL: rename, USING for a change of kind, literal defaults, a note for NOT NULL without one', () => {
    const { steps } = diffSchema([V2], live(postgresDialect), sqlSchemaTarget(postgresDialect));
    const text = renderSqlMigration(postgresDialect, steps, 'v2');
    expect(splitStatements(text)).toEqual([
      'ALTER TABLE "people" RENAME COLUMN "age" TO "years"',
      'ALTER TABLE "people" ALTER COLUMN "years" TYPE varchar(10) COLLATE "C" USING "years"::varchar(10)',
      `ALTER TABLE "people" ADD COLUMN "team" varchar(10) COLLATE "C" NOT NULL DEFAULT 'o''brien\\'`,
      'ALTER TABLE "people" ADD COLUMN "joined" timestamptz(3) NOT NULL',
    ]);
    expect(text).toContain('-- DESTRUCTIVE');
    expect(text).toContain('-- NOTE: NOT NULL without a constant default');
  });

  it('writes MySQL: MODIFY COLUMN, backslashes doubled in literals, DROP INDEX ... ON', () => {
    const { steps } = diffSchema([V2], live(mysqlDialect), sqlSchemaTarget(mysqlDialect));
    const statements = splitStatements(renderSqlMigration(mysqlDialect, steps, 'v2'));
    expect(statements[1]).toBe(
      'ALTER TABLE `people` MODIFY COLUMN `years` varchar(10) COLLATE utf8mb4_bin NOT NULL',
    );
    expect(statements[2]).toContain("DEFAULT 'o''brien\\\\'");
    const dropped = renderSqlMigration(
      mysqlDialect,
      [
        {
          kind: 'dropIndex',
          table: 'people',
          index: { name: 'i', columns: ['a'], unique: false },
          destructive: false,
          reason: 'r',
        },
      ],
      'x',
    );
    expect(splitStatements(dropped)).toEqual(['DROP INDEX `i` ON `people`']);
  });

  it('online: CONCURRENTLY outside a transaction on PostgreSQL, INPLACE/LOCK=NONE on MySQL, nothing for new tables', () => {
    const Indexed = defineEntity('people', { id: field.id(), age: field.integer().index() });
    const existing = diffSchema([Indexed], live(postgresDialect), sqlSchemaTarget(postgresDialect)).steps;
    const pg = renderSqlMigration(postgresDialect, existing, 'x', { online: true });
    expect(pg).toContain('-- berth:no-transaction');
    expect(splitStatements(pg)).toEqual(['CREATE INDEX CONCURRENTLY "people_age_idx" ON "people" ("age")']);
    const my = renderSqlMigration(mysqlDialect, existing, 'x', { online: true });
    expect(splitStatements(my)).toEqual([
      'CREATE INDEX `people_age_idx` ON `people` (`age`) ALGORITHM=INPLACE LOCK=NONE',
    ]);
    const fresh = diffSchema([Indexed], { tables: [] }, sqlSchemaTarget(postgresDialect)).steps;
    const created = renderSqlMigration(postgresDialect, fresh, 'x', { online: true });
    expect(created).not.toContain('CONCURRENTLY');
    expect(created).not.toContain('berth:no-transaction');
  });
});

describe('renderSqlMigration: foreign keys', () => {
  const Team = defineEntity('teams', { id: field.id() });
  const Member = defineEntity('members', {
    id: field.id(),
    team: belongsTo(() => Team, { onDelete: 'setNull', nullable: true }),
  });
  const liveOf = (dialect: typeof postgresDialect, onDelete: 'cascade' | 'setNull') => ({
    tables: [Team, Member].map((entity) => ({
      name: entity.name,
      columns: entity.fieldNames.map((n) => ({
        name: n,
        ...sqlSchemaTarget(dialect).columnType(entity.fields[n]!),
        nullable: entity.fields[n]!.nullable,
        default: null,
      })),
      indexes: entity.indexes.map((i) => ({ name: i.name, columns: i.fields, unique: i.unique })),
      foreignKeys:
        entity === Member
          ? [
              {
                name: 'members_teamId_fkey',
                columns: ['teamId'],
                referencedTable: 'teams',
                referencedColumns: ['id'],
                onDelete,
              },
            ]
          : [],
    })),
  });

  it('a changed onDelete is DROP CONSTRAINT / DROP FOREIGN KEY, then ADD CONSTRAINT with the new action', () => {
    const pg = diffSchema(
      [Team, Member],
      liveOf(postgresDialect, 'cascade'),
      sqlSchemaTarget(postgresDialect),
    );
    expect(splitStatements(renderSqlMigration(postgresDialect, pg.steps, 'fk'))).toEqual([
      'ALTER TABLE "members" DROP CONSTRAINT "members_teamId_fkey"',
      'ALTER TABLE "members" ADD CONSTRAINT "members_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "teams" ("id") ON DELETE SET NULL',
    ]);
    const my = diffSchema([Team, Member], liveOf(mysqlDialect, 'cascade'), sqlSchemaTarget(mysqlDialect));
    expect(splitStatements(renderSqlMigration(mysqlDialect, my.steps, 'fk'))).toEqual([
      'ALTER TABLE `members` DROP FOREIGN KEY `members_teamId_fkey`',
      'ALTER TABLE `members` ADD CONSTRAINT `members_teamId_fkey` FOREIGN KEY (`teamId`) REFERENCES `teams` (`id`) ON DELETE SET NULL',
    ]);
    expect(
      diffSchema([Team, Member], liveOf(mysqlDialect, 'setNull'), sqlSchemaTarget(mysqlDialect)).steps,
    ).toEqual([]);
  });

  it('online on PostgreSQL: NOT VALID, then VALIDATE, in a file run outside a transaction', () => {
    const { steps } = diffSchema(
      [Team, Member],
      liveOf(postgresDialect, 'cascade'),
      sqlSchemaTarget(postgresDialect),
    );
    const text = renderSqlMigration(postgresDialect, steps, 'fk', { online: true });
    expect(text).toContain('-- berth:no-transaction');
    expect(splitStatements(text).slice(1)).toEqual([
      'ALTER TABLE "members" ADD CONSTRAINT "members_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "teams" ("id") ON DELETE SET NULL NOT VALID',
      'ALTER TABLE "members" VALIDATE CONSTRAINT "members_teamId_fkey"',
    ]);
    const my = renderSqlMigration(mysqlDialect, steps, 'fk', { online: true });
    expect(my).toContain('copy the table');
  });
});
