import type { AggregateCommand, AggregateSpec, CompareOp } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

const OPERATORS: Readonly<Record<CompareOp, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** The result column of the `index`-th aggregate: a plain alias, so field names never clash with it. */
export function aggregateAlias(index: number): string {
  return `agg_${index}`;
}

function expression(dialect: SqlDialect, command: AggregateCommand, spec: AggregateSpec): string {
  if (spec.fn === 'count') return 'COUNT(*)';
  const col = column(dialect, command.entity, spec.field!);
  switch (spec.fn) {
    case 'sum':
      // A sum over no values is 0 on every backend (MongoDB's $sum), not SQL's NULL.
      return `COALESCE(SUM(${col}), 0)`;
    case 'avg':
      // A double, as MongoDB's $avg. PostgreSQL averages exactly (int128 or numeric state; avg(bigint) shares
      // its state with SUM of the same column) and rounds once: casting each row to a double before
      // averaging cost about 0.1 µs a row more on the server. MariaDB's AVG of an exact type keeps only 4
      // decimals (div_precision_increment), so there each value is cast before averaging.
      return dialect.name === 'postgres'
        ? `CAST(AVG(${col}) AS double precision)`
        : `AVG(CAST(${col} AS double))`;
    case 'min':
      return `MIN(${col})`;
    case 'max':
      return `MAX(${col})`;
  }
}

/**
 * `SELECT <group fields>, <aggregates> FROM <table> [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT]`:
 * group fields keep their names, aggregates are `agg_<index>` in `command.aggregates` order. `HAVING`
 * repeats the aggregate expressions (PostgreSQL cannot refer to output names there); `ORDER BY` uses the
 * output names.
 */
export function compileAggregate(dialect: SqlDialect, command: AggregateCommand): CompiledStatement {
  const { entity } = command;
  const params = new ParameterList(dialect);
  const groups = command.groupBy.map((f) => column(dialect, entity, f));
  const selected = [
    ...groups,
    ...command.aggregates.map(
      (spec, i) => `${expression(dialect, command, spec)} AS ${dialect.quoteIdentifier(aggregateAlias(i))}`,
    ),
  ];
  let sql = `SELECT ${selected.join(', ')} FROM ${dialect.quoteIdentifier(entity.name)}`;
  sql += whereClause(dialect, entity, command.where, params);
  if (groups.length > 0) sql += ` GROUP BY ${groups.join(', ')}`;
  if (command.having.length > 0) {
    const parts = command.having.map((h) => {
      const spec = command.aggregates.find((s) => s.key === h.key)!;
      const value =
        spec.fn === 'min' || spec.fn === 'max'
          ? encodeValue(dialect, fieldOf(entity, spec.field!), h.value)
          : h.value;
      return `${expression(dialect, command, spec)} ${OPERATORS[h.op]} ${params.add(value)}`;
    });
    sql += ` HAVING ${parts.join(' AND ')}`;
  }
  if (command.orderBy.length > 0) {
    const keys = command.orderBy.map((k) => {
      const index = command.aggregates.findIndex((s) => s.key === k.key);
      const name =
        index >= 0 ? dialect.quoteIdentifier(aggregateAlias(index)) : column(dialect, entity, k.key);
      return `${name} ${k.direction === 'desc' ? 'DESC' : 'ASC'}`;
    });
    sql += ` ORDER BY ${keys.join(', ')}`;
  }
  if (command.limit !== undefined) sql += ` LIMIT ${Math.trunc(command.limit)}`;
  return { sql, params: params.values() };
}
