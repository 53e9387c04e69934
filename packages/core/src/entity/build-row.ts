import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import type { StoredRow } from '../driver/commands.js';
import { uuidv7 } from '../id/uuidv7.js';
import type { EntityMeta } from './define-entity.js';
import { MANAGED_KINDS } from './field.js';
import { type InsertRowPlan, KEY, ROLE, insertRowPlan } from './insert-row-plan.js';
import { storedForm } from './kinds/stored-form.js';
import { validateValue } from './validate-value.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `issues` with `issue` added: the list is made with its first issue (a valid row allocates none). */
function withIssue(issues: ValidationIssue[] | undefined, issue: ValidationIssue): ValidationIssue[] {
  if (issues === undefined) return [issue];
  issues.push(issue);
  return issues;
}

/**
 * The issues of `input`'s keys, added to `issues` (made on the first one: a valid row, the common case,
 * allocates none). `insert`: a supplied id is the caller's to give; in a patch no id ever is (it names the row).
 */
function unknownKeys(
  entity: EntityMeta,
  keys: InsertRowPlan['keys'],
  input: Record<string, unknown>,
  issues: ValidationIssue[] | undefined,
  inserting = false,
): ValidationIssue[] | undefined {
  // `for in` over the own keys: what `Object.keys` lists, without an array per row (a bulk checks thousands).
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const what = keys.get(key);
    if (what === undefined)
      issues = withIssue(issues, { field: key, message: `${key} is not a field of ${entity.name}` });
    else if (what === KEY.suppliedId) {
      if (!inserting) issues = withIssue(issues, { field: key, message: `${key} cannot be changed` });
    } else if (what === KEY.managed)
      issues = withIssue(issues, { field: key, message: `${key} is set by the data layer` });
  }
  return issues;
}

/**
 * Builds the complete row an insert stores: the id (a new UUIDv7, the caller's supplied one, or none yet
 * when the database generates it), version 1, timestamps, defaults, and every caller-owned field
 * validated. Throws one `ValidationError` listing every problem.
 */
export function buildInsertRow(entity: EntityMeta, input: unknown, now: Date): StoredRow {
  if (!isPlainObject(input)) throw new ValidationError(`an ${entity.name} must be an object`);
  // What each field gets is worked out once per entity (see `InsertRowPlan`), not per row.
  const plan = insertRowPlan(entity);
  let issues = unknownKeys(entity, plan.keys, input, undefined, true);
  // Values gathered by field position, then one object of fixed shape (`rowShape`): rows built field by
  // field grow their property storage as they go. A database-generated id is absent until the insert
  // returns it (see `InsertCommand`), so such rows are built field by field, without it.
  const { names, metas, roles, reforms } = plan;
  const values: unknown[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const meta = metas[i]!;
    switch (roles[i]) {
      case ROLE.caller:
        break;
      case ROLE.uuidId:
        values[i] = uuidv7();
        continue;
      case ROLE.suppliedId: {
        const value = Object.hasOwn(input, name) ? input[name] : undefined;
        const problem = validateValue(name, meta, value);
        if (problem) issues = withIssue(issues, problem);
        values[i] = value;
        continue;
      }
      case ROLE.version:
        values[i] = 1;
        continue;
      case ROLE.stamp:
        values[i] = now;
        continue;
      default:
        // A database-generated id: none until the insert returns it.
        continue;
    }
    let value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined && meta.hasDefault) {
      // A constant is copied, so an object or Date changed in place on one row never alters later rows.
      value =
        typeof meta.defaultValue === 'function'
          ? (meta.defaultValue as () => unknown)()
          : structuredClone(meta.defaultValue);
    }
    if (value === undefined && meta.nullable) value = null;
    const problem = validateValue(name, meta, value);
    if (problem) issues = withIssue(issues, problem);
    values[i] = problem || !reforms[i] ? value : storedForm(meta, value);
  }
  if (issues !== undefined)
    throw new ValidationError(`invalid ${entity.name}: ${issues[0]!.message}`, issues);
  if (!plan.generated) return plan.shape.build(values);
  const row: StoredRow = {};
  for (let i = 0; i < names.length; i++) if (roles[i] !== ROLE.generatedId) row[names[i]!] = values[i];
  return row;
}

/**
 * Validates a patch: only caller-owned fields, each valid. `undefined` members are ignored (as absent).
 * Returns the patch without them.
 */
export function validatePatch(entity: EntityMeta, input: unknown): StoredRow {
  if (!isPlainObject(input)) throw new ValidationError(`a change to ${entity.name} must be an object`);
  const issues = unknownKeys(entity, insertRowPlan(entity).keys, input, undefined) ?? [];
  const patch: StoredRow = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || issues.some((i) => i.field === name)) continue;
    const problem = validateValue(name, entity.fields[name]!, value);
    if (problem) issues.push(problem);
    patch[name] = problem ? value : storedForm(entity.fields[name]!, value);
  }
  if (issues.length > 0)
    throw new ValidationError(`invalid change to ${entity.name}: ${issues[0]!.message}`, issues);
  return patch;
}

/** Validates every caller-owned field of a full row (used at flush for objects changed in place). */
export function validateRow(entity: EntityMeta, row: StoredRow): void {
  const issues: ValidationIssue[] = [];
  for (const name of entity.fieldNames) {
    const meta = entity.fields[name]!;
    if (MANAGED_KINDS.has(meta.kind)) continue;
    const problem = validateValue(name, meta, row[name]);
    if (problem) issues.push(problem);
  }
  if (issues.length > 0) throw new ValidationError(`invalid ${entity.name}: ${issues[0]!.message}`, issues);
}
