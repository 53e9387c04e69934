import {
  type Condition,
  type EntityMeta,
  type ModifyCommand,
  type NumericOperation,
  decimalOperand,
} from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileCondition } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

/** The value an operation computes, as SQL over the stored column. */
export function operationExpression(
  dialect: SqlDialect,
  entity: EntityMeta,
  op: NumericOperation,
  params: ParameterList,
): string {
  if (op.round !== undefined) {
    // Exact: the operand is bound as the decimal literal it prints as, never as a double.
    const by = dialect.exactDecimal(params.add(decimalOperand(op.by)!.text));
    return `ROUND(${column(dialect, entity, op.field)} * ${by})`;
  }
  const by = params.add(op.by);
  return `(${column(dialect, entity, op.field)} ${op.op === 'increment' ? '+' : '*'} ${by})`;
}

/** The conditions under which every operation's result stays within its bounds (none when unbounded). */
export function boundsConditions(
  dialect: SqlDialect,
  entity: EntityMeta,
  operations: readonly NumericOperation[],
  params: ParameterList,
): string[] {
  const conditions: string[] = [];
  for (const op of operations) {
    // Both bounds: one BETWEEN, so MySQL/MariaDB computes the operation once a row, not twice (a bounded
    // updateMany evaluates this on every row it locks and again on every row it writes).
    if (op.min !== undefined && op.max !== undefined) {
      const expression = operationExpression(dialect, entity, op, params);
      conditions.push(`${expression} BETWEEN ${params.add(op.min)} AND ${params.add(op.max)}`);
      continue;
    }
    if (op.min !== undefined)
      conditions.push(`${operationExpression(dialect, entity, op, params)} >= ${params.add(op.min)}`);
    if (op.max !== undefined)
      conditions.push(`${operationExpression(dialect, entity, op, params)} <= ${params.add(op.max)}`);
  }
  return conditions;
}

/** The SET list of a modify: values, operations, the stamp and the version bump. */
export function modifyAssignments(
  dialect: SqlDialect,
  command: ModifyCommand,
  params: ParameterList,
): string {
  const { entity } = command;
  const assignments: string[] = [];
  for (const [name, value] of Object.entries({ ...command.set, ...command.stamp })) {
    const encoded = encodeValue(dialect, fieldOf(entity, name), value);
    assignments.push(`${column(dialect, entity, name)} = ${params.add(encoded)}`);
  }
  for (const op of command.operations) {
    assignments.push(
      `${column(dialect, entity, op.field)} = ${operationExpression(dialect, entity, op, params)}`,
    );
  }
  if (command.bump !== undefined) {
    const bumped = column(dialect, entity, command.bump);
    assignments.push(`${bumped} = ${bumped} + 1`);
  }
  return assignments.join(', ');
}

/** "Some value would change": a null-safe difference on a set field, or an operation's result. */
function changedCondition(dialect: SqlDialect, command: ModifyCommand, params: ParameterList): string {
  const { entity } = command;
  const tests: string[] = [];
  for (const [name, value] of Object.entries(command.set)) {
    const encoded = encodeValue(dialect, fieldOf(entity, name), value);
    tests.push(dialect.distinctFrom(column(dialect, entity, name), params.add(encoded)));
  }
  for (const op of command.operations) {
    tests.push(
      dialect.distinctFrom(
        column(dialect, entity, op.field),
        operationExpression(dialect, entity, op, params),
      ),
    );
  }
  return tests.length === 0 ? dialect.literal(false) : `(${tests.join(' OR ')})`;
}

/** The WHERE expressions of a modify: the filter, and what `changedOnly` and bounds add. */
export function modifyConditions(
  dialect: SqlDialect,
  command: ModifyCommand,
  params: ParameterList,
  options: { bounds: boolean },
): string[] {
  const conditions: string[] = [];
  const where: Condition = command.where;
  if (!(where.type === 'literal' && where.value))
    conditions.push(`(${compileCondition(dialect, command.entity, where, params)})`);
  if (options.bounds)
    conditions.push(...boundsConditions(dialect, command.entity, command.operations, params));
  if (command.changedOnly) conditions.push(changedCondition(dialect, command, params));
  return conditions;
}

/**
 * `UPDATE <table> SET ... WHERE <filter> [AND bounds] [AND changed] [RETURNING <every field>]`: rows an
 * operation would take out of bounds, and unchanged rows under `changedOnly`, are not matched.
 * `returning` needs `dialect.supportsReturning`.
 */
export function compileModify(
  dialect: SqlDialect,
  command: ModifyCommand,
  options: { returning: boolean; bounds: boolean },
): CompiledStatement {
  const { entity } = command;
  const params = new ParameterList(dialect);
  const table = dialect.quoteIdentifier(entity.name);
  let sql = `UPDATE ${table} SET ${modifyAssignments(dialect, command, params)}`;
  const conditions = modifyConditions(dialect, command, params, { bounds: options.bounds });
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  if (options.returning) {
    sql += ` RETURNING ${entity.fieldNames.map((name) => dialect.quoteIdentifier(name)).join(', ')}`;
  }
  return { sql, params: params.values() };
}
