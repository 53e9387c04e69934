import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { Collection } from './collection.js';

/** Validates a collection name the way mongod does for the cases tests may hit. */
export function assertCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '' || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${String(name)}`);
  }
}

/**
 * The committed, in-memory state: databases → collections. Survives `stop()`/`restart()` of the
 * server; only `reset()` clears it.
 */
export class Storage {
  readonly #databases = new Map<string, Map<string, Collection>>();
  #sequence = 0;

  /** Advances and returns the global write sequence. */
  readonly tick = (): number => ++this.#sequence;

  get sequence(): number {
    return this.#sequence;
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.#databases.get(db)?.get(name);
  }

  /** Returns the collection, creating it implicitly (as inserts/upserts/createIndexes do). */
  ensureCollection(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.getCollection(db, name);
    if (existing) return { collection: existing, created: false };
    assertCollectionName(name);
    const collection = new Collection(db, name, this.tick);
    this.#database(db).set(name, collection);
    return { collection, created: true };
  }

  createCollection(db: string, name: string, options: Document): Collection {
    assertCollectionName(name);
    if (this.getCollection(db, name)) {
      throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    const collection = new Collection(db, name, this.tick, options);
    this.#database(db).set(name, collection);
    return collection;
  }

  /** Swaps in a new version of a collection (used by transaction commit). */
  putCollection(collection: Collection): void {
    this.#database(collection.db).set(collection.name, collection);
  }

  dropCollection(db: string, name: string): boolean {
    const collections = this.#databases.get(db);
    const dropped = collections?.delete(name) ?? false;
    if (collections && collections.size === 0) this.#databases.delete(db);
    return dropped;
  }

  /** Moves a collection (documents and indexes) to a new namespace, possibly in another database. */
  renameCollection(
    from: { db: string; name: string },
    to: { db: string; name: string },
    dropTarget: boolean,
  ): void {
    const source = this.getCollection(from.db, from.name);
    if (!source) throw new CommandError(ErrorCodes.NamespaceNotFound, 'Source collection does not exist');
    assertCollectionName(to.name);
    if (this.getCollection(to.db, to.name)) {
      if (!dropTarget) throw new CommandError(ErrorCodes.NamespaceExists, 'target namespace exists');
      this.dropCollection(to.db, to.name);
    }
    // Indexes embed their namespace in error messages, so rebuild rather than re-label.
    const target = new Collection(to.db, to.name, this.tick, source.options, source.uuid);
    for (const spec of source.indexes()) if (spec.name !== '_id_') target.addIndex(spec);
    for (const doc of source.documents()) target.insert(doc);
    this.dropCollection(from.db, from.name);
    this.#database(to.db).set(to.name, target);
  }

  dropDatabase(db: string): boolean {
    return this.#databases.delete(db);
  }

  databaseNames(): string[] {
    return [...this.#databases.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.#databases.get(db)?.values() ?? [])];
  }

  clear(): void {
    this.#databases.clear();
  }

  #database(db: string): Map<string, Collection> {
    if (db === '' || /[/\\. "$]/.test(db)) {
      throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
    }
    let collections = this.#databases.get(db);
    if (!collections) {
      collections = new Map();
      this.#databases.set(db, collections);
    }
    return collections;
  }
}
