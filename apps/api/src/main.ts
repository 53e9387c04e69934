import { AdapterNotInstalledError, type Database, connect } from '@berth/core';
import { pino } from 'pino';
import { importAdapter } from './adapters.js';
import { ConfigError, loadConfig } from './config.js';
import { ENTITIES } from './entities.js';
import { redactSecrets, redactUrl } from './redact-url.js';
import { missingDatabaseHint } from './missing-database.js';
import { Shutdown } from './shutdown.js';
import { startTelemetry } from './telemetry.js';

/** What closing the pool may take of that budget, leaving room to exit in time. */
const POOL_CLOSE_MS = 3_000;

/** Prints one line to stderr and exits 1: what an operator sees when the service cannot start. */
function fail(message: string): never {
  process.stderr.write(`berth-api: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

async function open(url: string, config: ReturnType<typeof loadConfig>): Promise<Database> {
  try {
    return await connect(url, {
      entities: ENTITIES,
      pool: {
        max: config.poolMax,
        acquireTimeoutMs: config.acquireTimeoutMs,
        statementTimeoutMs: config.statementTimeoutMs,
      },
      // Resolve adapters from the app, where they are installed, not from @berth/core's own folder.
      importAdapter,
      replicas: config.replicaUrls,
    });
  } catch (error) {
    if (error instanceof AdapterNotInstalledError) fail(error.message);
    const hint = missingDatabaseHint(url, error);
    if (hint) fail(hint);
    // A driver's message may quote parts of a malformed URL (a host parsed out of the password).
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), url);
    fail(`cannot open ${redactUrl(url)}: ${reason}`);
  }
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  // Every line names the database by its redacted URL, so a 503 or a failed health check can be traced.
  const logger = pino({ level: config.logLevel }).child({ database: redactUrl(config.databaseUrl) });
  // Signals are handled from here on, so one that arrives during start-up still closes cleanly.
  const shutdown = new Shutdown(logger);
  const opening = open(config.databaseUrl, config);
  // The HTTP side (Fastify, Ajv and the routes, some hundred CommonJS modules) loads while the database
  // opens: PGlite reads its files and compiles its WebAssembly off the main thread meanwhile, and a server
  // answers its handshake. Imported here, not at the top, so the two overlap instead of running in turn.
  const loadingApp = import('./app.js');
  // Awaited only after the database is open; a failure to load is reported then, not as an unhandled rejection.
  loadingApp.catch(() => undefined);
  const db = await opening;
  shutdown.add(() => db.close(POOL_CLOSE_MS));
  // OpenTelemetry spans and pool metrics over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const telemetry = await startTelemetry(db, config.databaseUrl);
  if (telemetry) shutdown.add(() => telemetry.shutdown());
  try {
    await db.ensureSchema();
  } catch (error) {
    await db.close(POOL_CLOSE_MS).catch(() => undefined);
    const hint = missingDatabaseHint(config.databaseUrl, error);
    if (hint) fail(hint);
    const reason = error instanceof Error ? error.message : String(error);
    fail(`cannot create the schema: ${redactSecrets(reason, config.databaseUrl)}`);
  }
  if (shutdown.stopping) return;

  const { buildApp, closeGracefully } = await loadingApp;
  const app = await buildApp({
    db,
    logger,
    healthTimeoutMs: config.acquireTimeoutMs,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
  });
  // Within the 10 s: the HTTP drain ends by 6 s (src/drain.ts), the pool gets at most 3 s after it.
  shutdown.add(() => closeGracefully(app));
  if (shutdown.stopping) return;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (shutdown.stopping) return;
    await db.close(POOL_CLOSE_MS).catch(() => undefined);
    fail(
      `cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  logger.info({ backend: db.backend, pool: db.pool.stats() }, 'ready');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `berth-api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
