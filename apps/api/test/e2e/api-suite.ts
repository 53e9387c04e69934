import { type Database, connect, migrateUp } from '@berth/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ENTITIES } from '../../src/entities.js';
import { bulkTests } from './suite/bulk.js';
import { employeeTests } from './suite/employees.js';
import { foundingTests } from './suite/founding.js';
import { idempotencyTests } from './suite/idempotency.js';
import { listTests } from './suite/lists.js';
import { managerTests } from './suite/managers.js';
import { migrationTests } from './suite/migrations.js';
import { operationsTests } from './suite/operations.js';
import { preconditionTests } from './suite/preconditions.js';
import { raiseTests } from './suite/raise.js';
import { type CausalSessionProbe, sessionTokenTests } from './suite/session-tokens.js';
import { reportTests } from './suite/reports.js';
import { textAndVersionTests } from './suite/text-and-versions.js';
import { unavailableTests } from './suite/unavailable.js';
import { unreachableTests } from './suite/unreachable.js';
import { validationTests } from './suite/validation.js';
import { userTests } from './suite/users.js';
import type { SuiteContext } from './support/context.js';
import { Http } from './support/http.js';
import { shippedMigrations } from './support/shipped-migrations.js';

export interface ApiSuiteOptions {
  /** The backend name, as `/health` reports it: `postgres`, `mysql`, `mongodb` or `pglite`. */
  name: string;
  /** The database URL, or a function giving it once `setup` has run (a server on a random port). */
  databaseUrl: string | (() => string);
  /** Runs before the app starts: create the database, start a server. */
  setup?: () => Promise<unknown>;
  /** Runs after the app and its pool are closed: drop the database, stop the server. */
  teardown?: () => Promise<unknown>;
  /** When set, the whole suite is skipped (the reason is printed by the caller). */
  skip?: boolean;
  /** Read replicas of the database (`DATABASE_REPLICA_URLS`), with a way to pause their replay. */
  replicas?: {
    readonly urls: readonly string[];
    pauseReplay(): Promise<unknown>;
    resumeReplay(): Promise<unknown>;
    /** The form of this backend's session tokens (`postgres.0/16B3748`, `mysql.0-10-42`). */
    readonly tokenPattern: RegExp;
    /** A well-formed token of another backend, which must be refused like a malformed one. */
    readonly foreignToken: string;
  };
  /**
   * A MongoDB replica set, whose driver routes reads itself: tokens carry the write's `operationTime`, and
   * what the server received shows the `afterClusterTime` each read waited for.
   */
  causal?: CausalSessionProbe;
}

/**
 * The contract of apps/api, end to end: a real server on a random port, real `fetch`, one backend.
 * Each backend runs it from a short file; the tests only ever talk HTTP (plus pool access for the 503s).
 */
export function runApiSuite(options: ApiSuiteOptions): void {
  describe.skipIf(options.skip ?? false)(`apps/api on ${options.name}`, () => {
    let context: SuiteContext | undefined;
    let db: Database | undefined;
    let app: FastifyInstance | undefined;

    beforeAll(async () => {
      await options.setup?.();
      const databaseUrl =
        typeof options.databaseUrl === 'function' ? options.databaseUrl() : options.databaseUrl;
      const open = () =>
        connect(databaseUrl, {
          entities: ENTITIES,
          // Small, like a real deployment's share of the database, with room for a loaded CI machine.
          pool: { max: 5, acquireTimeoutMs: 5_000, statementTimeoutMs: 10_000 },
          importAdapter: (name) => import(name),
          ...(options.replicas ? { replicas: options.replicas.urls } : {}),
        });
      db = await open();
      // The schema is made by the shipped migrations, as `berth migrate up` makes it before a deploy. Two
      // instances migrating at once apply each file once; both then start (ensureSchema finds nothing to
      // create and no drift); then a restart starts again: all succeed. (A second in-memory PGlite would be
      // a database of its own, with nothing to race.)
      const sources = await shippedMigrations(db);
      if (databaseUrl.startsWith('pglite://memory')) {
        await migrateUp(db, sources);
        await db.ensureSchema();
      } else {
        const sibling = await open();
        try {
          await Promise.all([migrateUp(db, sources), migrateUp(sibling, sources)]);
          await Promise.all([db.ensureSchema(), sibling.ensureSchema()]);
        } finally {
          await sibling.close();
        }
      }
      await db.ensureSchema();
      app = await buildApp({ db, healthTimeoutMs: 5_000 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address() as { port: number };
      context = {
        backend: options.name,
        databaseUrl,
        db,
        app,
        http: new Http(`http://127.0.0.1:${address.port}`),
      };
    });

    afterAll(async () => {
      await app?.close();
      await db?.close();
      await options.teardown?.();
    });

    const ctx = (): SuiteContext => {
      if (!context) throw new Error('the suite did not start');
      return context;
    };

    operationsTests(ctx);
    employeeTests(ctx);
    validationTests(ctx);
    listTests(ctx);
    bulkTests(ctx);
    raiseTests(ctx);
    reportTests(ctx);
    preconditionTests(ctx);
    userTests(ctx);
    managerTests(ctx);
    foundingTests(ctx);
    idempotencyTests(ctx);
    textAndVersionTests(ctx);
    unreachableTests(ctx);
    unavailableTests(ctx);
    sessionTokenTests(ctx, options.replicas, options.causal);
    migrationTests(ctx);
  });
}
