import type { MigrationStep } from '@berth/core';
import { documentKey } from '../compile-filter.js';
import { indexSpec } from '../index-specs.js';
import { entityValidation, validationOptions } from './entity-validator.js';

const str = (value: unknown) => JSON.stringify(value);

/**
 * The helpers a generated module may call, so each step is idempotent and a stopped run can run again. A
 * module carries only those its steps call, written out in the file rather than imported: the file's
 * checksum then covers everything it runs, and a reviewer reads it whole.
 */
const HELPERS: Record<string, string> = {
  createCollection: `async function createCollection(db, name, options = {}) {
  try {
    await db.createCollection(name, options);
  } catch (error) {
    if (error?.code !== 48) throw error; // NamespaceExists
    // Made by an earlier, interrupted run (or by hand): give it the validator anyway.
    if (options.validator) await db.command({ collMod: name, ...options });
  }
}`,
  dropIndex: `async function dropIndex(db, collection, name) {
  try {
    await db.collection(collection).dropIndex(name);
  } catch (error) {
    if (error?.code !== 27 && error?.code !== 26) throw error; // IndexNotFound, NamespaceNotFound
  }
}`,
  dropCollection: `async function dropCollection(db, name) {
  try {
    await db.collection(name).drop();
  } catch (error) {
    if (error?.code !== 26) throw error; // NamespaceNotFound
  }
}`,
};

const isFlat = (value: unknown): boolean =>
  value === null ||
  typeof value !== 'object' ||
  (Array.isArray(value) ? value : Object.values(value)).every(
    (item) =>
      item === null ||
      typeof item !== 'object' ||
      (Array.isArray(item) && item.every((i) => typeof i !== 'object' || i === null)),
  );

/**
 * A value as JSON for review: an object or array whose members are all scalars (one field's rules, a list
 * of names) on one line, bigger ones one member a line, indented from `indent`.
 */
function block(value: unknown, indent = '  '): string {
  if (isFlat(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => `${inner}${block(v, inner)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${block(v, inner)}`).join(',\n')}\n${indent}}`;
}

const requiredOf = (validator: unknown): readonly string[] => {
  const required = (validator as { $jsonSchema?: { required?: unknown } } | undefined)?.$jsonSchema?.required;
  return Array.isArray(required) ? (required as string[]) : [];
};

/**
 * Before a validator that requires fields the old one did not: a field with a constant default is filled
 * in documents lacking it (else their next update fails validation); one without gets a note to backfill.
 */
function backfills(step: Extract<MigrationStep, { kind: 'setValidator' }>): string[] {
  const before = new Set(requiredOf(step.from.validator));
  const lines: string[] =
    step.from.validator === undefined
      ? [
          '// Documents berth wrote carry every field; others (older or from other writers) are not re-checked',
          '// until their next update, which fails if they break the validator: backfill them here.',
        ]
      : [];
  for (const key of requiredOf(step.to.validator)) {
    if (before.has(key) || key === '_id') continue;
    const name = key === '_id' ? 'id' : key;
    const field = step.entity.fields[name];
    const value = field?.defaultValue;
    if (field?.hasDefault && ['string', 'number', 'boolean'].includes(typeof value))
      lines.push(
        `await db.collection(${str(step.table)}).updateMany({ ${str(key)}: { $exists: false } }, { $set: { ${str(key)}: ${str(value)} } });`,
      );
    else if (step.from.validator !== undefined)
      lines.push(
        `// ${key} becomes required: documents without it fail validation on their next update; backfill them here`,
      );
  }
  return lines;
}

function renderStep(step: MigrationStep): string[] {
  const coll = `db.collection(${str(step.table)})`;
  switch (step.kind) {
    case 'createTable':
      return [
        `await createCollection(db, ${str(step.table)}, ${block(validationOptions(entityValidation(step.entity)))});`,
      ];
    case 'setValidator':
      return [
        ...backfills(step),
        `await db.command(${block({ collMod: step.table, ...validationOptions(step.to) })});`,
      ];
    case 'dropTable':
      return [`await dropCollection(db, ${str(step.table)});`];
    case 'createIndex': {
      const { key, ...options } = indexSpec(step.entity, step.index);
      return [`await ${coll}.createIndex(${str(key)}, ${str({ ...options, name: step.indexName })});`];
    }
    case 'dropIndex':
      return [`await dropIndex(db, ${str(step.table)}, ${str(step.index.name)});`];
    case 'renameColumn':
      return [
        `await ${coll}.updateMany({ ${str(documentKey(step.from))}: { $exists: true } }, { $rename: { ${str(documentKey(step.from))}: ${str(documentKey(step.column))} } });`,
      ];
    case 'dropColumn':
      return [`await ${coll}.updateMany({}, { $unset: { ${str(documentKey(step.column))}: '' } });`];
    case 'addForeignKey':
    case 'dropForeignKey':
      // The MongoDB target declares no foreign-key names, so the differ never proposes these.
      return ['// nothing to do on MongoDB: it keeps no foreign keys'];
    case 'addColumn':
    case 'alterColumn':
      // Documents have no columns: old documents simply lack the field (read as null) or keep old values.
      return ['// nothing to do on MongoDB: documents have no columns'];
  }
}

/** A MongoDB migration module: `export async function up(db)` over the driver's `Db`, one call a step. */
export function renderMongoMigration(steps: readonly MigrationStep[], title: string): string {
  const body: string[] = [];
  for (const step of steps) {
    body.push('', `  // ${step.reason}`);
    if (step.destructive) body.push('  // DESTRUCTIVE: review; this step can lose data');
    body.push(...renderStep(step).map((line) => `  ${line}`));
  }
  return [
    `// berth migration: ${title} (mongodb)`,
    '// Generated by `berth migrate generate` from the differences between the entities and the database.',
    '// Review before applying. Every step is idempotent, so a run stopped part-way can run again.',
    '',
    "/** @param {import('mongodb').Db} db */",
    'export async function up(db) {',
    ...body.slice(1),
    '}',
    ...Object.entries(HELPERS)
      .filter(([name]) => body.some((line) => line.includes(`await ${name}(`)))
      .flatMap(([, helper]) => ['', helper]),
    '',
  ].join('\n');
}
