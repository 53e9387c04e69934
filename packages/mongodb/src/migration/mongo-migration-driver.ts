import { randomUUID } from 'node:crypto';
import {
  type AppliedMigration,
  DEFAULT_HISTORY_TABLE,
  type FieldKind,
  type MigrationDriver,
  MigrationError,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStep,
  type SchemaModel,
  type SchemaTarget,
  UniqueViolationError,
} from '@berth/core';
import type { ClientSession, Db, Document } from 'mongodb';
import { entityValidation } from './entity-validator.js';
import { introspectMongo } from './introspect-mongo.js';
import { renderMongoMigration } from './render-mongo.js';

/** The collection holding one lock document per history collection. */
export const MONGO_MIGRATION_LOCK_COLLECTION = 'berth_migration_locks';
/** A lock document not renewed for this long belongs to a dead instance and may be taken over. */
const LOCK_LEASE_MS = 30_000;
const LOCK_POLL_MS = 100;

/** What `MongoConnection` lends: the database, its session, and its paths for reads and lone writes. */
export interface MongoMigrationContext {
  readonly db: Db;
  readonly session: ClientSession | undefined;
  /** A read, its errors mapped. */
  read<T>(command: string, work: () => Promise<T>): Promise<T>;
  /** A write outside any transaction: a lost reply is an unknown outcome (`CommitOutcomeUnknownError`). */
  write<T>(command: string, work: () => Promise<T>): Promise<T>;
}

/** BSON-ish families, for messages only: collections have no column types to compare. */
const KIND: Partial<Record<FieldKind, 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'json'>> = {
  id: 'string',
  string: 'string',
  integer: 'integer',
  version: 'integer',
  number: 'float',
  boolean: 'boolean',
  datetime: 'datetime',
  createdAt: 'datetime',
  updatedAt: 'datetime',
  json: 'json',
};

const mongoTarget: SchemaTarget = {
  schemaless: true,
  columnType: (field) => ({ kind: KIND[field.kind] ?? 'unknown', type: field.kind }),
  indexName: (index) => index.name,
  validation: entityValidation,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `MigrationDriver` for MongoDB: collections and indexes are introspected and generated as a module whose
 * `up(db)` gets the driver's `Db`; the lock is a document with a renewed lease; the history is a
 * collection. A module runs as one unit (index builds are not transactional) and is recorded once it
 * completes, so a failed one runs again from the start: generated steps are idempotent.
 */
export class MongoMigrationDriver implements MigrationDriver {
  readonly flavour = 'mongodb';
  readonly extension = '.mjs';
  readonly transactionalDdl = false;
  readonly target = mongoTarget;
  readonly #ctx: MongoMigrationContext;
  readonly #history: string;

  constructor(ctx: MongoMigrationContext, historyTable: string = DEFAULT_HISTORY_TABLE) {
    this.#ctx = ctx;
    this.#history = historyTable;
  }

  #options(): { session?: ClientSession } {
    return this.#ctx.session ? { session: this.#ctx.session } : {};
  }

  introspect(): Promise<SchemaModel> {
    return this.#ctx.read('listCollections', () => introspectMongo(this.#ctx.db, this.#ctx.session));
  }

  /** `online` changes nothing: MongoDB (4.2+) builds indexes without blocking writes for the build. */
  render(steps: readonly MigrationStep[], title: string): string {
    return renderMongoMigration(steps, title);
  }

  async withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const locks = this.#ctx.db.collection<{ _id: string; owner: string; expiresAt: Date }>(
      MONGO_MIGRATION_LOCK_COLLECTION,
    );
    const owner = randomUUID();
    const _id = this.#history;
    const deadline = Date.now() + timeoutMs;
    const lease = () => new Date(Date.now() + LOCK_LEASE_MS);
    for (;;) {
      try {
        await this.#ctx.write('insert', () =>
          locks.insertOne({ _id, owner, expiresAt: lease() }, this.#options()),
        );
        break;
      } catch (error) {
        if (!(error instanceof UniqueViolationError)) throw error;
      }
      // Taken over once its holder stopped renewing it (a dead instance); ours if a lost reply hid our insert.
      const taken = await this.#ctx.write('findAndModify', () =>
        locks.findOneAndUpdate(
          { _id, $or: [{ expiresAt: { $lt: new Date() } }, { owner }] },
          { $set: { owner, expiresAt: lease() } },
          this.#options(),
        ),
      );
      if (taken) break;
      if (Date.now() >= deadline)
        throw new MigrationError(
          'lock-timeout',
          `another instance held the migration lock for more than ${timeoutMs} ms; try again once it is done`,
        );
      await sleep(LOCK_POLL_MS);
    }
    const renew = setInterval(() => {
      locks.updateOne({ _id, owner }, { $set: { expiresAt: lease() } }).catch(() => undefined);
    }, LOCK_LEASE_MS / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      // An unreleased lock expires with its lease.
      await this.#ctx
        .write('delete', () => locks.deleteOne({ _id, owner }, this.#options()))
        .catch(() => undefined);
    }
  }

  async history(): Promise<AppliedMigration[]> {
    const docs = await this.#ctx.read('find', () =>
      this.#ctx.db.collection(this.#history).find({}, this.#options()).sort({ _id: 1 }).toArray(),
    );
    return docs.map((doc: Document) => ({
      id: String(doc._id),
      checksum: String(doc.checksum),
      appliedAt: doc.appliedAt instanceof Date ? doc.appliedAt : new Date(String(doc.appliedAt)),
      complete: doc.complete === true,
      stepsDone: Number(doc.stepsDone ?? 0),
      doneChecksum: String(doc.doneChecksum ?? ''),
    }));
  }

  reversible(source: MigrationSource): boolean {
    return typeof source.down === 'function';
  }

  /** Runs the module's `down(db)`, then removes its history document (a failed `down` leaves it applied). */
  async revert(source: MigrationSource, progress?: MigrationProgress): Promise<void> {
    if (typeof source.down !== 'function')
      throw new MigrationError(
        'irreversible',
        `migration ${source.id} exports no down(db) function`,
        source.id,
      );
    progress?.({ id: source.id, step: 1, steps: 1, statement: 'down(db)' });
    await source.down(this.#ctx.db);
    const history = this.#ctx.db.collection<Document>(this.#history);
    await this.#ctx.write('delete', () => history.deleteOne({ _id: source.id as never }, this.#options()));
  }

  async apply(
    source: MigrationSource,
    _resume: AppliedMigration | undefined,
    progress?: MigrationProgress,
  ): Promise<void> {
    if (typeof source.up !== 'function')
      throw new MigrationError(
        'invalid-file',
        `migration ${source.id} exports no up(db) function`,
        source.id,
      );
    progress?.({ id: source.id, step: 1, steps: 1, statement: 'up(db)' });
    await source.up(this.#ctx.db);
    await this.markApplied(source);
  }

  /** Writes the file's history document, complete, without calling its `up` (`baseline`). */
  async markApplied(source: MigrationSource): Promise<void> {
    const history = this.#ctx.db.collection<Document>(this.#history);
    await this.#ctx.write('update', () =>
      history.replaceOne(
        { _id: source.id as never },
        {
          checksum: source.checksum,
          appliedAt: new Date(),
          complete: true,
          stepsDone: 1,
          doneChecksum: source.checksum,
        },
        { ...this.#options(), upsert: true },
      ),
    );
  }
}
