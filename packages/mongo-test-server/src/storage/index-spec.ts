import type { Document } from 'bson';
import { Query } from 'mingo';
import { formatShellValue, isPlainObject, readPath, valueKey } from '../bson-values.js';
import { CommandError, DuplicateKeyError, ErrorCodes } from '../errors.js';

/** An index definition as stored in the catalog and returned by `listIndexes`. */
export interface IndexSpec {
  readonly name: string;
  readonly key: Document;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partialFilterExpression?: Document;
  /** Remaining user options (e.g. `expireAfterSeconds`), echoed back by `listIndexes` only. */
  readonly options: Document;
}

/** The implicit `_id` index every collection has. */
export const ID_INDEX: IndexSpec = {
  name: '_id_',
  key: { _id: 1 },
  unique: true,
  sparse: false,
  options: {},
};

/** Builds the default index name MongoDB derives from a key pattern, e.g. `{ a: 1, b: -1 }` → `a_1_b_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

const KNOWN_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'v', 'ns']);

/** Validates a `createIndexes` entry and converts it to an {@link IndexSpec}. */
export function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError(ErrorCodes.FailedToParse, 'The index specification must contain a non-empty key');
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : defaultIndexName(raw.key);
  const options: Document = {};
  for (const [k, v] of Object.entries(raw)) if (!KNOWN_OPTIONS.has(k)) options[k] = v;
  const spec: IndexSpec = {
    name,
    key: { ...raw.key },
    unique: raw.unique === true,
    sparse: raw.sparse === true,
    options,
    ...(isPlainObject(raw.partialFilterExpression)
      ? { partialFilterExpression: raw.partialFilterExpression }
      : {}),
  };
  return spec;
}

/** The document `listIndexes` returns for a spec. */
export function describeIndex(spec: IndexSpec): Document {
  const out: Document = { v: 2, key: spec.key, name: spec.name };
  if (spec.unique && spec.name !== '_id_') out.unique = true;
  if (spec.sparse) out.sparse = true;
  if (spec.partialFilterExpression) out.partialFilterExpression = spec.partialFilterExpression;
  return { ...out, ...spec.options };
}

/** True when two specs describe the same index (same key pattern and uniqueness options). */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return (
    valueKey(a.key) === valueKey(b.key) &&
    a.unique === b.unique &&
    a.sparse === b.sparse &&
    valueKey(a.partialFilterExpression ?? null) === valueKey(b.partialFilterExpression ?? null)
  );
}

/**
 * Maintains the key → document map for one unique index.
 * Missing fields index as `null` (so two documents without the field collide, as in MongoDB) unless
 * the index is sparse; array fields index every element (multikey).
 */
export class UniqueIndex {
  readonly spec: IndexSpec;
  readonly #entries = new Map<string, string>();
  readonly #filter: Query | undefined;
  readonly #namespace: string;

  constructor(spec: IndexSpec, namespace: string) {
    this.spec = spec;
    this.#namespace = namespace;
    this.#filter = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : undefined;
  }

  /** The index keys of a document (empty when the document is not indexed: sparse or partial). */
  keysOf(doc: Document): { key: string; values: unknown[] }[] {
    if (this.#filter && !this.#filter.test(doc)) return [];
    const fields = Object.keys(this.spec.key);
    const perField = fields.map((field) => readPath(doc, field));
    if (this.spec.sparse && perField.every((p) => !p.found)) return [];
    // Cartesian product of each field's values (an array field contributes each element).
    let combos: unknown[][] = [[]];
    for (const path of perField) {
      const values = path.found
        ? path.values.flatMap((v) => (Array.isArray(v) ? (v.length ? v : [null]) : [v]))
        : [null];
      combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    }
    const seen = new Set<string>();
    const keys: { key: string; values: unknown[] }[] = [];
    for (const values of combos) {
      const key = valueKey(values);
      if (!seen.has(key)) {
        seen.add(key);
        keys.push({ key, values });
      }
    }
    return keys;
  }

  /** Throws a {@link DuplicateKeyError} if `doc` collides with a document other than `ownId`. */
  check(doc: Document, ownId: string): void {
    for (const { key, values } of this.keysOf(doc)) {
      const holder = this.#entries.get(key);
      if (holder !== undefined && holder !== ownId) throw this.#duplicate(values);
    }
  }

  add(doc: Document, id: string): void {
    for (const { key } of this.keysOf(doc)) this.#entries.set(key, id);
  }

  remove(doc: Document, id: string): void {
    for (const { key } of this.keysOf(doc)) if (this.#entries.get(key) === id) this.#entries.delete(key);
  }

  #duplicate(values: unknown[]): DuplicateKeyError {
    const fields = Object.keys(this.spec.key);
    const keyValue: Document = {};
    fields.forEach((field, i) => {
      keyValue[field] = values[i] ?? null;
    });
    const shown = fields.map((field, i) => `${field}: ${formatShellValue(values[i])}`).join(', ');
    return new DuplicateKeyError(
      `E11000 duplicate key error collection: ${this.#namespace} index: ${this.spec.name} dup key: { ${shown} }`,
      { ...this.spec.key },
      keyValue,
    );
  }
}
