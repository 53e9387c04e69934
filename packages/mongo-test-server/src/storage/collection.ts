import { UUID } from 'bson';
import type { Document } from 'bson';
import { valueKey } from '../bson-values.js';
import { DuplicateKeyError } from '../errors.js';
import { ID_INDEX, UniqueIndex } from './index-spec.js';
import type { IndexSpec } from './index-spec.js';

/** A collection's mutable catalog entry, shared by the committed collection and its snapshots. */
class CatalogEntry {
  constructor(public options: Document) {}
}

/** Returns a monotonically increasing sequence number; used to version document writes. */
export type Clock = () => number;

/**
 * One collection: documents keyed by canonical `_id`, the index catalog, and a per-document
 * "last written at" sequence that transactions use to detect write conflicts.
 *
 * Documents handed in are owned by the collection and must not be mutated afterwards; callers
 * clone on the way in and out (see bson-values.ts).
 */
export class Collection {
  readonly db: string;
  readonly name: string;
  readonly uuid: UUID;
  /** Shared with this collection's transaction snapshots, so `collMod` reaches every view of it. */
  readonly #catalog: { options: Document };
  readonly #clock: Clock;
  readonly #docs = new Map<string, Document>();
  readonly #versions = new Map<string, number>();
  #indexes: IndexSpec[] = [ID_INDEX];
  #unique: UniqueIndex[] = [];

  constructor(
    db: string,
    name: string,
    clock: Clock,
    options: Document | { options: Document } = {},
    uuid: UUID = new UUID(),
  ) {
    this.db = db;
    this.name = name;
    this.#clock = clock;
    this.#catalog = options instanceof CatalogEntry ? options : new CatalogEntry(options as Document);
    this.uuid = uuid;
  }

  /** The options given to `create` (and changed by `collMod`): the validator among them. */
  get options(): Document {
    return this.#catalog.options;
  }

  /** Replaces the options (`collMod`); every snapshot of this collection sees the new ones. */
  setOptions(options: Document): void {
    this.#catalog.options = options;
  }

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.#docs.size;
  }

  /** Live stored documents in natural (insertion) order. Read-only: never mutate or hand out. */
  documents(): Document[] {
    return [...this.#docs.values()];
  }

  get(idKey: string): Document | undefined {
    return this.#docs.get(idKey);
  }

  /** The sequence number of the last write to this `_id` (0 if never written). */
  versionOf(idKey: string): number {
    return this.#versions.get(idKey) ?? 0;
  }

  indexes(): readonly IndexSpec[] {
    return this.#indexes;
  }

  /** Inserts a document that already has an `_id`; throws DuplicateKeyError on any unique violation. */
  insert(doc: Document): void {
    const id = valueKey(doc._id);
    if (this.#docs.has(id)) throw this.#duplicateId(doc._id);
    for (const index of this.#unique) index.check(doc, id);
    this.#docs.set(id, doc);
    for (const index of this.#unique) index.add(doc, id);
    this.#versions.set(id, this.#clock());
  }

  /** Replaces the stored document with the same `_id`; unique indexes are re-checked. */
  replace(doc: Document): void {
    const id = valueKey(doc._id);
    const old = this.#docs.get(id);
    if (!old) {
      this.insert(doc);
      return;
    }
    for (const index of this.#unique) index.check(doc, id);
    for (const index of this.#unique) index.remove(old, id);
    for (const index of this.#unique) index.add(doc, id);
    this.#docs.set(id, doc);
    this.#versions.set(id, this.#clock());
  }

  remove(idKey: string): boolean {
    const old = this.#docs.get(idKey);
    if (!old) return false;
    for (const index of this.#unique) index.remove(old, idKey);
    this.#docs.delete(idKey);
    this.#versions.set(idKey, this.#clock());
    return true;
  }

  /**
   * Adds an index. Building a unique index over data that already holds duplicates fails with
   * E11000 and leaves the catalog unchanged, like mongod.
   */
  addIndex(spec: IndexSpec): void {
    if (spec.unique) {
      const index = new UniqueIndex(spec, this.namespace);
      for (const [id, doc] of this.#docs) {
        index.check(doc, id);
        index.add(doc, id);
      }
      this.#unique = [...this.#unique, index];
    }
    this.#indexes = [...this.#indexes, spec];
  }

  dropIndex(name: string): void {
    this.#indexes = this.#indexes.filter((spec) => spec.name !== name);
    this.#unique = this.#unique.filter((index) => index.spec.name !== name);
  }

  /** A copy sharing the (immutable) documents; used as a transaction's private snapshot. */
  clone(): Collection {
    const copy = new Collection(this.db, this.name, this.#clock, this.#catalog, this.uuid);
    for (const spec of this.#indexes) if (spec !== ID_INDEX) copy.addIndex(spec);
    for (const [id, doc] of this.#docs) {
      copy.#docs.set(id, doc);
      for (const index of copy.#unique) index.add(doc, id);
    }
    for (const [id, version] of this.#versions) copy.#versions.set(id, version);
    return copy;
  }

  #duplicateId(id: unknown): DuplicateKeyError {
    // Reuse the unique-index formatter so the `_id_` message matches the others exactly.
    const index = new UniqueIndex(ID_INDEX, this.namespace);
    try {
      index.add({ _id: id }, 'a');
      index.check({ _id: id }, 'b');
    } catch (error) {
      if (error instanceof DuplicateKeyError) return error;
    }
    throw new Error('unreachable: duplicate _id not detected');
  }
}
