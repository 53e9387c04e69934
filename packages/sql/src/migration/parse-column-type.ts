import type { ColumnType } from '@berth/core';

const INTEGER_BITS: Record<string, number> = {
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
};

/**
 * Reads a canonical SQL type spelling (lower case, no collation, no display width) into the neutral
 * `ColumnType`, for both sides of a diff: what introspection read and what a field should be. The same
 * function on both sides is what makes the comparison fair.
 */
export function parseColumnType(canonical: string): ColumnType {
  // `decimal(10, 2)` as berth writes it and `decimal(10,2)` as MySQL reports it are one type.
  const type = canonical
    .trim()
    .toLowerCase()
    .replace(/\s*([(),])\s*/g, '$1');
  const varchar = /^(?:varchar|character varying)\((\d+)\)$/.exec(type);
  if (varchar) return { kind: 'string', type, length: Number(varchar[1]) };
  if (/^(?:tiny|medium|long)?text$/.test(type)) return { kind: 'string', type };
  if (type === 'tinyint(1)' || type === 'boolean') return { kind: 'boolean', type };
  const bits = INTEGER_BITS[type];
  if (bits !== undefined) return { kind: 'integer', type, bits };
  if (type === 'double precision' || type === 'double' || type === 'real' || type === 'float')
    return { kind: 'float', type };
  if (/^(?:timestamptz|timestamp|datetime)(?:\(\d\))?$/.test(type)) return { kind: 'datetime', type };
  if (type === 'json' || type === 'jsonb') return { kind: 'json', type };
  if (/^(?:numeric|decimal)(?:\(\d+(?:,\s*\d+)?\))?$/.test(type)) return { kind: 'decimal', type };
  if (type === 'date') return { kind: 'date', type };
  if (/^(?:bytea|(?:tiny|medium|long)?blob|varbinary\(\d+\)|binary\(\d+\))$/.test(type))
    return { kind: 'bytes', type };
  if (type.startsWith('enum(')) return { kind: 'enum', type };
  return { kind: 'unknown', type };
}

/** A dialect's column type (`varchar(255) COLLATE "C"`) without its collation: the canonical spelling. */
export function withoutCollation(type: string): string {
  return type.replace(/\s+COLLATE\s+\S+$/i, '').toLowerCase();
}
