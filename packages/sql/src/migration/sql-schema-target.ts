import type { SchemaTarget } from '@berth/core';
import { indexName } from '../compiler/compile-create-indexes.js';
import { fitIdentifier } from '../dialect/fit-identifier.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { parseColumnType, withoutCollation } from './parse-column-type.js';

/** How a SQL dialect stores entities, in introspection's canonical spelling (see `parseColumnType`). */
export function sqlSchemaTarget(dialect: SqlDialect): SchemaTarget {
  return {
    schemaless: false,
    columnType: (field) => parseColumnType(withoutCollation(dialect.columnType(field))),
    indexName: (index) => indexName(dialect, index),
    foreignKeyName: (reference) => fitIdentifier(reference.name, dialect.maxIdentifierLength),
  };
}
