import type { Capabilities } from '@berth/core';
import { afterAll, describe } from 'vitest';
import { coreValidationCases } from './cases/core-validation-cases.js';
import { commitOutcomeCases } from './cases/commit-outcome-cases.js';
import { errorCases } from './cases/error-cases.js';
import { filterCases } from './cases/filter-cases.js';
import { nestedTransactionCases } from './cases/nested-transaction-cases.js';
import { readFilterCases } from './cases/read-filter-cases.js';
import { projectionStreamCases } from './cases/projection-stream-cases.js';
import { idStrategyCases } from './cases/id-strategy-cases.js';
import { lockingReadCases } from './cases/locking-read-cases.js';
import { migrationCases } from './cases/migration-cases.js';
import { aggregateCases } from './cases/aggregate-cases.js';
import { paginationCases } from './cases/pagination-cases.js';
import { poolCases } from './cases/pool-cases.js';
import { poolFaultCases } from './cases/pool-fault-cases.js';
import { queryEventCases } from './cases/query-event-cases.js';
import { rawSqlCases } from './cases/raw-sql-cases.js';
import { relationCases } from './cases/relation-cases.js';
import { cascadeCases } from './cases/cascade-cases.js';
import { repositoryCases } from './cases/repository-cases.js';
import { schemaCases } from './cases/schema-cases.js';
import { silentPeerCases } from './cases/silent-peer-cases.js';
import { transactionOptionCases } from './cases/transaction-option-cases.js';
import { transactionCases } from './cases/transaction-cases.js';
import { transactionEndCases } from './cases/transaction-end-cases.js';
import { unitOfWorkCases } from './cases/unit-of-work-cases.js';
import { unitOfWorkFlushCases } from './cases/unit-of-work-flush-cases.js';
import { unitOfWorkDatesCases } from './cases/unit-of-work-dates-cases.js';
import { writeCases } from './cases/write-cases.js';
import { conformanceEntities } from './conformance-entities.js';
import type { ConformanceTarget } from './conformance-target.js';
import { type EscapeHatchFeatures, probeEscapeHatches } from './support/escape-hatch-features.js';
import { SuiteContext } from './support/suite-context.js';

const CASE_TIMEOUT_MS = 30_000;

/** The groups of cases this target cannot run, each with the reason. */
function notApplicable(target: ConformanceTarget, capabilities: Capabilities): string[] {
  const skipped: string[] = [];
  if (!target.killConnection) skipped.push('killed-connection pool faults (no killConnection hook)');
  if (!target.serverConnections) skipped.push('server-side connection counts (no serverConnections hook)');
  if (!target.dropNextCommitReply)
    skipped.push(
      'lost commit replies (no dropNextCommitReply hook: no connection to lose, or no fault to make)',
    );
  if (!target.openTransactions)
    skipped.push('server-side open-transaction counts (no openTransactions hook)');
  if (!target.openThroughProxy) skipped.push('silent-peer eviction (no openThroughProxy hook)');
  if (capabilities.transactions)
    skipped.push('the TransactionsUnsupportedError path (transactions are supported)');
  else skipped.push('transaction cases (capabilities.transactions is false)');
  if (capabilities.transactions && capabilities.savepoints)
    skipped.push('rollback of the outer transaction on a failed nested one (savepoints are supported)');
  if (capabilities.transactions && !capabilities.savepoints)
    skipped.push('savepoint cases (capabilities.savepoints is false)');
  if (!capabilities.foreignKeys)
    skipped.push('foreign-key enforcement (capabilities.foreignKeys is false: references are not enforced)');
  if (!capabilities.multipleConnections)
    skipped.push(
      'isolation across connections, checked instead as "a second caller waits until commit" (single connection)',
    );
  if (target.readReplicas?.positionChecksCounted)
    skipped.push(
      'pool, pool-fault, relation and query-event cases (they count statements and acquisitions exactly; with a replica each read after a write asks the replica for its position with a statement of its own, and the first routed operation checks the primary once)',
    );
  return skipped;
}

/**
 * Registers berth's adapter conformance suite with vitest: call it at the top level of a test file, once per
 * backend. It calls `target.setup()`, opens one database to read the backend's capabilities and create the
 * schema, then registers the cases (repository, filters, sorting and pagination, unit of work, transactions,
 * errors, pool, schema). Cases that need an optional hook or capability are registered only when it is
 * there; one line printed at collection names the groups that were not applicable, and why.
 * `target.teardown()` runs after the last case.
 */
export function runConformanceSuite(target: ConformanceTarget): void {
  // Cases bound their own waits; the generous timeout only covers backends slow to open (PGlite starts a
  // WebAssembly instance per database) on a loaded machine.
  describe(`berth conformance: ${target.name}`, { timeout: CASE_TIMEOUT_MS }, async () => {
    await target.setup?.();
    afterAll(async () => {
      await target.teardown?.();
    });
    const probe = await target.open({ entities: conformanceEntities });
    let capabilities: Capabilities;
    let features: EscapeHatchFeatures;
    try {
      capabilities = { ...probe.capabilities };
      await probe.ensureSchema(conformanceEntities);
      features = await probeEscapeHatches(probe);
    } finally {
      await probe.close();
    }
    const skipped = notApplicable(target, capabilities);
    console.info(
      `berth conformance (${target.name}): ${skipped.length === 0 ? 'every group applies' : `not applicable: ${skipped.join('; ')}`}`,
    );

    const ctx = new SuiteContext(target, capabilities, conformanceEntities);
    schemaCases(ctx);
    migrationCases(ctx);
    repositoryCases(ctx);
    filterCases(ctx);
    readFilterCases(ctx);
    projectionStreamCases(ctx);
    lockingReadCases(ctx);
    aggregateCases(ctx);
    paginationCases(ctx);
    unitOfWorkCases(ctx);
    unitOfWorkFlushCases(ctx);
    unitOfWorkDatesCases(ctx);
    transactionCases(ctx);
    nestedTransactionCases(ctx);
    transactionEndCases(ctx);
    errorCases(ctx);
    coreValidationCases(ctx);
    const countsExact = !target.readReplicas?.positionChecksCounted;
    if (countsExact) poolCases(ctx);
    if (countsExact) poolFaultCases(ctx);
    commitOutcomeCases(ctx);
    silentPeerCases(ctx);
    writeCases(ctx);
    idStrategyCases(ctx);
    if (countsExact) relationCases(ctx);
    cascadeCases(ctx);
    rawSqlCases(ctx, features);
    transactionOptionCases(ctx, features);
    if (countsExact) queryEventCases(ctx, features);
  });
}
