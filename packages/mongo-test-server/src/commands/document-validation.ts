import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';
import { checkJsonSchema, jsonSchemaFailures } from '../query/json-schema.js';
import type { Collection } from '../storage/collection.js';

const LEVELS = new Set(['off', 'strict', 'moderate']);
const ACTIONS = new Set(['error', 'warn']);

/**
 * Checks the validation options of `create` / `collMod`. Only `{ $jsonSchema: ... }` validators are
 * accepted (with the keywords `checkJsonSchema` enforces): a query-operator validator is refused rather
 * than stored and ignored.
 */
export function checkValidationOptions(options: Document): void {
  const { validator, validationLevel, validationAction } = options;
  if (validator !== undefined) {
    if (!isPlainObject(validator))
      throw new CommandError(ErrorCodes.TypeMismatch, "'validator' has to be an object");
    for (const key of Object.keys(validator))
      if (key !== '$jsonSchema')
        throw new CommandError(
          ErrorCodes.InvalidOptions,
          `validator operator '${key}' is not supported by the berth test server (only $jsonSchema)`,
        );
    if (validator.$jsonSchema !== undefined) checkJsonSchema(validator.$jsonSchema);
  }
  if (validationLevel !== undefined && !LEVELS.has(validationLevel as string))
    throw new CommandError(ErrorCodes.BadValue, `Invalid validationLevel: ${String(validationLevel)}`);
  if (validationAction !== undefined && !ACTIONS.has(validationAction as string))
    throw new CommandError(ErrorCodes.BadValue, `Invalid validationAction: ${String(validationAction)}`);
}

function failures(collection: Collection, doc: Document): Document[] {
  const schema = (collection.options.validator as Document | undefined)?.$jsonSchema;
  return isPlainObject(schema) ? jsonSchemaFailures(schema, doc) : [];
}

/**
 * Enforces the collection's validator on a document about to be stored, as mongod does:
 * `validationLevel` `strict` (default) checks every insert and update, `moderate` skips updates of
 * documents that already broke the rules, `off` none; `validationAction` `warn` lets the write through.
 * `bypassDocumentValidation: true` on the command skips it. A failure is `DocumentValidationFailure`
 * (121) with mongod's `errInfo` (`failingDocumentId`, `details.schemaRulesNotSatisfied`).
 */
export function validateDocument(
  command: Document,
  collection: Collection,
  doc: Document,
  previous?: Document,
): void {
  const { validator, validationLevel = 'strict', validationAction = 'error' } = collection.options;
  if (validator === undefined || validationLevel === 'off' || command.bypassDocumentValidation === true)
    return;
  if (validationLevel === 'moderate' && previous && failures(collection, previous).length > 0) return;
  const broken = failures(collection, doc);
  if (broken.length === 0 || validationAction === 'warn') return;
  throw new CommandError(ErrorCodes.DocumentValidationFailure, 'Document failed validation', {
    extra: {
      errInfo: {
        failingDocumentId: doc._id,
        details: { operatorName: '$jsonSchema', schemaRulesNotSatisfied: broken },
      },
    },
  });
}
