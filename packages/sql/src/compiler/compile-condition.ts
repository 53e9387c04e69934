import type { CompareOp, Condition, EntityMeta, ExistsCondition, FieldMeta } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import { caseInsensitivePattern } from './case-insensitive-pattern.js';
import { likePattern } from './like-pattern.js';
import type { ParameterList } from './parameter-list.js';

/**
 * Key-like kinds bind a list as one array where the dialect can (`SqlDialect.arrayParameters`): their
 * values need no per-element cast, and they are what select-ins and `in` filters carry in practice.
 */
const ARRAY_KINDS = new Set<FieldMeta['kind']>(['id', 'string', 'integer']);

/** Whether an `in` list on this field binds as one array parameter. */
export function bindsAsArray(dialect: SqlDialect, meta: FieldMeta): boolean {
  return dialect.arrayParameters && ARRAY_KINDS.has(meta.kind);
}

const OPERATORS: Readonly<Record<CompareOp, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/**
 * Compiles a normalized `Condition` into a boolean SQL expression, binding every value through `params`.
 * The condition is two-valued (see `Condition`), so `not` is translated literally. AND and OR groups nested
 * in one another are parenthesized; the returned expression itself never needs parentheses to be used
 * after `WHERE`, but callers combining it with other operators must add them.
 */
export function compileCondition(
  dialect: SqlDialect,
  entity: EntityMeta,
  condition: Condition,
  params: ParameterList,
  depth = 0,
): string {
  const compile = (c: Condition): string => compileCondition(dialect, entity, c, params, depth);
  const grouped = (c: Condition): string =>
    c.type === 'and' || c.type === 'or' ? `(${compile(c)})` : compile(c);

  switch (condition.type) {
    case 'literal':
      return dialect.literal(condition.value);
    case 'compare': {
      const value = encodeValue(dialect, fieldOf(entity, condition.field), condition.value);
      return `${column(dialect, entity, condition.field)} ${OPERATORS[condition.op]} ${params.add(value)}`;
    }
    case 'in': {
      // The core folds empty lists to literals; an empty `IN ()` is a syntax error, so fold here too.
      if (condition.values.length === 0) return dialect.literal(condition.negated);
      const meta = fieldOf(entity, condition.field);
      if (bindsAsArray(dialect, meta)) {
        const list = params.add(condition.values.map((v) => encodeValue(dialect, meta, v)));
        const col = column(dialect, entity, condition.field);
        // `<> ALL` is `NOT IN`'s twin: a NULL column matches neither, as with the list.
        return condition.negated ? `${col} <> ALL(${list})` : `${col} = ANY(${list})`;
      }
      const placeholders = condition.values.map((v) => params.add(encodeValue(dialect, meta, v)));
      const operator = condition.negated ? 'NOT IN' : 'IN';
      return `${column(dialect, entity, condition.field)} ${operator} (${placeholders.join(', ')})`;
    }
    case 'like': {
      if (condition.caseInsensitive) {
        const regex = params.add(caseInsensitivePattern(dialect, condition.mode, condition.value));
        return dialect.regexMatch(column(dialect, entity, condition.field), regex);
      }
      const pattern = params.add(likePattern(dialect, condition.mode, condition.value));
      return `${column(dialect, entity, condition.field)} LIKE ${pattern} ESCAPE '${dialect.likeEscape}'`;
    }
    case 'null':
      return `${column(dialect, entity, condition.field)} IS ${condition.isNull ? 'NULL' : 'NOT NULL'}`;
    case 'and':
    case 'or': {
      if (condition.conditions.length === 0) return dialect.literal(condition.type === 'and');
      return condition.conditions.map(grouped).join(condition.type === 'and' ? ' AND ' : ' OR ');
    }
    case 'not':
      return `NOT (${compile(condition.condition)})`;
    case 'exists':
      return compileExists(dialect, entity, condition, params, depth);
  }
}

/**
 * A relation filter as a correlated subquery: `EXISTS (SELECT 1 FROM <target> AS r1 WHERE r1.<targetField> =
 * <outer>.<field> AND <inner>)`. The outer row is named by its table at the top (every statement reads one
 * unaliased table) and `r<depth>` below; the subquery's table is always aliased, which hides its own
 * name, so a self-reference (`employees.manager`) still names the outer row. Inner columns stay
 * unqualified: SQL resolves them to the innermost table, which declares them (the core checked).
 */
function compileExists(
  dialect: SqlDialect,
  entity: EntityMeta,
  condition: ExistsCondition,
  params: ParameterList,
  depth: number,
): string {
  const outer = depth === 0 ? dialect.quoteIdentifier(entity.name) : dialect.quoteIdentifier(`r${depth}`);
  const alias = dialect.quoteIdentifier(`r${depth + 1}`);
  const { target } = condition;
  const correlate = `${alias}.${column(dialect, target, condition.targetField)} = ${outer}.${column(dialect, entity, condition.field)}`;
  const inner = condition.condition;
  const rest =
    inner.type === 'literal' && inner.value
      ? ''
      : ` AND (${compileCondition(dialect, target, inner, params, depth + 1)})`;
  return `EXISTS (SELECT 1 FROM ${dialect.quoteIdentifier(target.name)} ${alias} WHERE ${correlate}${rest})`;
}

/** ` WHERE <condition>`, or nothing when the condition matches every row. */
export function whereClause(
  dialect: SqlDialect,
  entity: EntityMeta,
  condition: Condition,
  params: ParameterList,
): string {
  if (condition.type === 'literal' && condition.value) return '';
  return ` WHERE ${compileCondition(dialect, entity, condition, params)}`;
}
