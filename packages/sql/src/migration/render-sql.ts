import type { FieldMeta, MigrationStep, RenderOptions } from '@berth/core';
import { NO_TRANSACTION_DIRECTIVE } from './split-statements.js';
import { compileCreateTable } from '../compiler/compile-create-table.js';
import { REFERENTIAL_ACTIONS } from '../compiler/compile-foreign-keys.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { withoutCollation } from './parse-column-type.js';

/** A constant default as a SQL literal, or undefined when the default is a function (set per row). */
function defaultLiteral(dialect: SqlDialect, field: FieldMeta): string | undefined {
  if (!field.hasDefault || typeof field.defaultValue === 'function') return undefined;
  const value = field.defaultValue;
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return dialect.booleansAsIntegers ? (value ? '1' : '0') : String(value);
  // DATETIME has no zone (berth stores UTC there); timestamptz reads the ISO form's Z.
  const date = (d: Date) =>
    dialect.booleansAsIntegers ? d.toISOString().replace('T', ' ').replace('Z', '') : d.toISOString();
  const text = value instanceof Date ? date(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined) return undefined;
  // MySQL reads backslashes in literals as escapes (unless NO_BACKSLASH_ESCAPES); PostgreSQL does not.
  const escaped = dialect.booleansAsIntegers ? text.replaceAll('\\', '\\\\') : text;
  return `'${escaped.replaceAll("'", "''")}'`;
}

function alterColumn(
  dialect: SqlDialect,
  step: Extract<MigrationStep, { kind: 'alterColumn' }>,
  table: string,
): string[] {
  const column = dialect.quoteIdentifier(step.column);
  const type = dialect.columnType(step.field);
  if (dialect.name === 'mysql') {
    return [
      `ALTER TABLE ${table} MODIFY COLUMN ${column} ${type}${step.field.nullable ? ' NULL' : ' NOT NULL'}`,
    ];
  }
  const out: string[] = [];
  if (step.typeChanged) {
    // USING converts values of another kind; between sizes of one kind PostgreSQL needs no help.
    const using = step.from.kind === step.to.kind ? '' : ` USING ${column}::${withoutCollation(type)}`;
    out.push(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type}${using}`);
  }
  if (step.nullableChanged)
    out.push(`ALTER TABLE ${table} ALTER COLUMN ${column} ${step.field.nullable ? 'DROP' : 'SET'} NOT NULL`);
  return out;
}

/**
 * `ADD CONSTRAINT ... FOREIGN KEY`. Online on PostgreSQL it is added `NOT VALID` (a brief lock, no scan)
 * and validated by a second statement, which scans the table without blocking writes; the file then runs
 * outside a transaction, so the two locks are not held together. MySQL/MariaDB have no online way while
 * foreign_key_checks is on: the file says so.
 */
function addForeignKey(
  dialect: SqlDialect,
  step: Extract<MigrationStep, { kind: 'addForeignKey' }>,
  table: string,
  online: boolean,
  notes: string[],
): { notes: string[]; statements: string[] } {
  const q = dialect.quoteIdentifier;
  const name = q(step.constraintName);
  const add =
    `ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (${q(step.column)}) ` +
    `REFERENCES ${q(step.reference.target().name)} (${q('id')}) ON DELETE ${REFERENTIAL_ACTIONS[step.reference.onDelete]}`;
  notes.push('-- (fails if a row references a row that does not exist: fix those rows first)');
  if (!online) return { notes, statements: [add] };
  if (dialect.name === 'mysql') {
    notes.push(
      '-- NOTE: MySQL/MariaDB copy the table to add a foreign key (writes wait) while foreign_key_checks=1.',
    );
    return { notes, statements: [add] };
  }
  return { notes, statements: [`${add} NOT VALID`, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`] };
}

/** The statements of one step, each without its semicolon, plus comments to print before them. */
export function renderStep(
  dialect: SqlDialect,
  step: MigrationStep,
  options: RenderOptions & { newTables?: ReadonlySet<string> } = {},
): {
  /** SQL comments to print before the statements: the step's reason, and warnings (destructive, locks). */
  notes: string[];
  /** The step's statements, in order, each without its semicolon. */
  statements: string[];
} {
  // A table made in the same file is empty and unseen by old code: nothing to gain from online builds.
  const online = options.online === true && !options.newTables?.has(step.table);
  const inplace = online && dialect.name === 'mysql' ? ', ALGORITHM=INPLACE, LOCK=NONE' : '';
  const table = dialect.quoteIdentifier(step.table);
  const notes = [`-- ${step.reason}`];
  if (step.destructive) notes.push('-- DESTRUCTIVE: review; this step can lose data');
  switch (step.kind) {
    case 'createTable':
      return { notes, statements: [compileCreateTable(dialect, step.entity).sql] };
    case 'dropTable':
      return { notes, statements: [`DROP TABLE ${table}`] };
    case 'addColumn': {
      const literal = defaultLiteral(dialect, step.field);
      const notNull = step.field.nullable ? '' : ' NOT NULL';
      if (!step.field.nullable && literal === undefined)
        notes.push(
          '-- NOTE: NOT NULL without a constant default fails on a table with rows: add it nullable, backfill,',
          '-- then make it NOT NULL in a later migration (expand/contract, docs/migrations.md).',
        );
      const type = dialect.columnType(step.field);
      const column = dialect.quoteIdentifier(step.column);
      return {
        notes,
        statements: [
          `ALTER TABLE ${table} ADD COLUMN ${column} ${type}${notNull}${literal ? ` DEFAULT ${literal}` : ''}${inplace}`,
        ],
      };
    }
    case 'dropColumn':
      return {
        notes,
        statements: [`ALTER TABLE ${table} DROP COLUMN ${dialect.quoteIdentifier(step.column)}`],
      };
    case 'renameColumn':
      return {
        notes,
        statements: [
          `ALTER TABLE ${table} RENAME COLUMN ${dialect.quoteIdentifier(step.from)} TO ${dialect.quoteIdentifier(step.column)}`,
        ],
      };
    case 'alterColumn':
      return { notes, statements: alterColumn(dialect, step, table) };
    case 'createIndex': {
      const columns = step.index.fields.map((f) => dialect.quoteIdentifier(f)).join(', ');
      const unique = step.index.unique ? 'UNIQUE ' : '';
      return {
        notes,
        statements: [
          dialect.name === 'mysql' || !online
            ? `CREATE ${unique}INDEX ${dialect.quoteIdentifier(step.indexName)} ON ${table} (${columns})${inplace ? ' ALGORITHM=INPLACE LOCK=NONE' : ''}`
            : `CREATE ${unique}INDEX CONCURRENTLY ${dialect.quoteIdentifier(step.indexName)} ON ${table} (${columns})`,
        ],
      };
    }
    case 'dropIndex': {
      const name = dialect.quoteIdentifier(step.index.name);
      return {
        notes,
        statements: [dialect.name === 'mysql' ? `DROP INDEX ${name} ON ${table}` : `DROP INDEX ${name}`],
      };
    }
    case 'addForeignKey':
      return addForeignKey(dialect, step, table, online, notes);
    case 'dropForeignKey': {
      const name = dialect.quoteIdentifier(step.foreignKey.name);
      return {
        notes,
        statements: [
          dialect.name === 'mysql'
            ? `ALTER TABLE ${table} DROP FOREIGN KEY ${name}`
            : `ALTER TABLE ${table} DROP CONSTRAINT ${name}`,
        ],
      };
    }
    case 'setValidator':
      // SQL targets declare no document validation, so the differ never proposes it.
      return { notes: ['-- nothing to do in SQL: tables have no document validator'], statements: [] };
  }
}

/**
 * A SQL migration file: a header, then each step's comments and statements. With `online`, index builds
 * on existing PostgreSQL tables are `CONCURRENTLY`, which cannot run in a transaction: the file then
 * carries `-- berth:no-transaction` and runs statement by statement.
 */
export function renderSqlMigration(
  dialect: SqlDialect,
  steps: readonly MigrationStep[],
  title: string,
  options: RenderOptions = {},
): string {
  const newTables = new Set(steps.filter((s) => s.kind === 'createTable').map((s) => s.table));
  const rendered = steps.map((step) => renderStep(dialect, step, { ...options, newTables }));
  const concurrent = rendered.some((r) =>
    r.statements.some((s) => s.includes(' CONCURRENTLY ') || s.endsWith(' NOT VALID')),
  );
  const lines = [
    `-- berth migration: ${title} (${dialect.name})`,
    '-- Generated by `berth migrate generate` from the differences between the entities and the database.',
    '-- Review before applying. Each statement ends with a semicolon at the end of a line.',
  ];
  if (concurrent)
    lines.push(
      NO_TRANSACTION_DIRECTIVE,
      '-- (CREATE INDEX CONCURRENTLY cannot run in a transaction, and a NOT VALID foreign key is validated in',
      '-- a transaction of its own: statements run and are recorded one by one; if an index build fails,',
      '-- drop the INVALID index it leaves before running `berth migrate up` again.)',
    );
  for (const { notes, statements } of rendered) lines.push('', ...notes, ...statements.map((s) => `${s};`));
  return `${lines.join('\n')}\n`;
}
