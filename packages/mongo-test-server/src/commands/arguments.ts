import { Long } from 'bson';
import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';
import type { CommandContext } from './context.js';

/** The collection a command targets: the string value of the command-name field. */
export function targetCollection(ctx: CommandContext): string {
  const value = ctx.command[ctx.name];
  if (typeof value !== 'string' || value === '') {
    throw new CommandError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeof value}`);
  }
  return value;
}

/** Reads an optional numeric argument (numbers and Longs accepted). */
export function optionalNumber(command: Document, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (typeof value === 'bigint') return Number(value);
  throw new CommandError(ErrorCodes.TypeMismatch, `Field '${field}' should be a number`);
}

/** Reads an optional document argument. */
export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw new CommandError(ErrorCodes.TypeMismatch, `Field '${field}' should be an object`);
  return value;
}

/** Reads a required array-of-documents argument (e.g. `documents`, `updates`, `deletes`). */
export function documentArray(command: Document, field: string): Document[] {
  const value = command[field];
  if (!Array.isArray(value))
    throw new CommandError(ErrorCodes.FailedToParse, `BSON field '${field}' is missing but a required field`);
  return value.map((item) => {
    if (!isPlainObject(item))
      throw new CommandError(ErrorCodes.TypeMismatch, `Elements of '${field}' must be objects`);
    return item;
  });
}
