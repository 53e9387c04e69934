/**
 * Pool-aware Repository / UnitOfWork data layer for REST services: entities, repositories, units of work,
 * transactions and a pool contract shared by every backend.
 *
 * @packageDocumentation
 * @module @berth/core
 */
// Entities
export { field, Field, MANAGED_KINDS } from './entity/field.js';
export type {
  BytesOptions,
  DecimalOptions,
  FieldKind,
  FieldMeta,
  IdBuilder,
  IncrementIdOptions,
  LengthOptions,
  RangeOptions,
  SuppliedIdOptions,
  UuidIdOptions,
} from './entity/field.js';
export { type IdStrategy, hasGeneratedIds, idStrategyOf } from './id/id-strategy.js';
export { defineEntity } from './entity/define-entity.js';
export {
  BelongsTo,
  HasMany,
  HasOne,
  InverseRelation,
  ManyToMany,
  belongsTo,
  hasMany,
  hasOne,
  manyToMany,
} from './entity/relation-definitions.js';
export type {
  BelongsToOptions,
  InverseOptions,
  ManyToManyOptions,
  RelationDefinition,
} from './entity/relation-definitions.js';
export type {
  BelongsToMeta,
  ForeignKeyMeta,
  HasManyMeta,
  ManyToManyMeta,
  ReferentialAction,
  RelationMeta,
} from './entity/entity-meta.js';
export { defineRelations } from './relation/define-relations.js';
export type { CascadeKind } from './entity/cascade-kind.js';
export type { PersistGraph, PersistRelationName } from './relation/cascade/persist-graph-types.js';
export type { InverseRelationMap } from './relation/define-relations.js';
export type { EntityShape, FieldsOf, RelationMap, RelationsOf } from './entity/entity-shape.js';
export type {
  ExactInclude,
  Include,
  IncludeOptions,
  LoadedRelations,
  LoadedRow,
  RelationName,
  RelationTarget,
  WithIncluded,
} from './relation/include-types.js';
export { MAX_INCLUDE_DEPTH } from './relation/loader/plan-include.js';
export { hasRelationFilter } from './relation/relation-filter.js';
export { ByIdLoader } from './batching/by-id-loader.js';
export type { ReadByIds } from './batching/by-id-loader.js';
export { RELATION_FILTER_MAX_KEYS, resolveExists } from './relation/resolve-exists.js';
export type { ReadKeys } from './relation/resolve-exists.js';
export { RELATION_CHUNK_SIZE } from './relation/loader/fetch-in.js';
export type {
  Entity,
  EntityMeta,
  EntityOptions,
  FieldMap,
  IdOf,
  IndexMeta,
  InsertOf,
  PatchOf,
  QueryableField,
  RowOf,
} from './entity/define-entity.js';

// Queries
export { and, or, MATCH_ALL } from './query/condition.js';
export type { Condition, CompareOp, ExistsCondition, LikeMode, Scalar } from './query/condition.js';
export type {
  FieldFilter,
  TextOperand,
  OrderKey,
  RelationFilter,
  RelationWhere,
  ToManyFilter,
  Where,
} from './query/where.js';
export { FILTER_LIMITS } from './query/filter-limits.js';
export type { SortKey } from './query/sort-key.js';
export type { ExactSelect, Select, Selected } from './query/select.js';
export type { LockMode, LockOption, LockWait, RowLock } from './query/row-lock.js';

// Driver contract (for adapter authors)
export type { Capabilities, BackendName } from './driver/capabilities.js';
export type {
  CountCommand,
  DeleteCommand,
  FindCommand,
  InsertCommand,
  StoredRow,
  ThroughRead,
  UpdateCommand,
} from './driver/commands.js';
export { THROUGH_KEY } from './driver/commands.js';
export type { DriverConnection } from './driver/driver-connection.js';
export type {
  AggregateCommand,
  AggregateFunction,
  AggregateResultRow,
  AggregateSortKey,
  AggregateSpec,
  HavingCondition,
} from './query/aggregate/aggregate-command.js';
export type {
  AggregateOptions,
  AggregateOrderKey,
  AggregateRow,
  Having,
  NumericField,
  OrderedField,
} from './query/aggregate/aggregate-options.js';
export { normalizeAggregate } from './query/aggregate/normalize-aggregate.js';
export type { Adapter, Driver, DriverHooks, DriverOptions } from './driver/driver.js';
export { DEFAULT_CONNECT_TIMEOUT_MS } from './driver/driver.js';
export type { QueryObserver } from './events/query-event.js';
export { observeQuery, sqlOperation } from './events/observe-query.js';
export type { QueryDescription } from './events/observe-query.js';
export type { RawResult } from './raw/raw-result.js';
export type { BeginOptions } from './transaction/transaction-options.js';

// Pool contract
export type { PoolStats } from './pool/pool-stats.js';
export { LEAK_STACK_SAMPLE_EVERY, POOL_DEFAULTS } from './pool/pool-options.js';
export type { PoolOptions } from './pool/pool-options.js';
export type { PoolEventName, PoolEvents, PoolListener } from './pool/pool-events.js';
export { checkPoolOptions } from './pool/pool-options.js';
export { checkDuration, MAX_DURATION_MS } from './options/duration.js';
export type { DurationRule } from './options/duration.js';
export { checkDriverDurations } from './options/driver-durations.js';
export { checkPoolSize } from './options/pool-size.js';

// Errors
export { BerthError } from './errors/berth-error.js';
export { coreCopies } from './runtime/core-copies.js';
export { AdapterNotInstalledError } from './errors/adapter-not-installed-error.js';
export { DriverNotInstalledError } from './errors/driver-not-installed-error.js';
export { ConcurrentFlushError } from './errors/concurrent-flush-error.js';
export {
  type CommitOutcome,
  type CommitOutcomeResolver,
  CommitOutcomeUnknownError,
} from './errors/commit-outcome-unknown-error.js';
export { ConnectionLostError } from './errors/connection-lost-error.js';
export { ConnectionReleasedTwiceError } from './errors/connection-released-twice-error.js';
export { DatabaseError } from './errors/database-error.js';
export { DatabaseUnreachableError } from './errors/database-unreachable-error.js';
export { InvalidAdapterError } from './errors/invalid-adapter-error.js';
export { NotFoundError } from './errors/not-found-error.js';
export { OptimisticLockError } from './errors/optimistic-lock-error.js';
export { PoolClosedError } from './errors/pool-closed-error.js';
export { PoolTimeoutError } from './errors/pool-timeout-error.js';
export { StatementTimeoutError } from './errors/statement-timeout-error.js';
export { TransactionConflictError } from './errors/transaction-conflict-error.js';
export { TransactionEndedError } from './errors/transaction-ended-error.js';
export { TransactionRollbackOnlyError } from './errors/transaction-rollback-only-error.js';
export { TransactionsUnsupportedError } from './errors/transactions-unsupported-error.js';
export { UniqueViolationError } from './errors/unique-violation-error.js';
export { ForeignKeyViolationError } from './errors/foreign-key-violation-error.js';
export { ValidationError } from './errors/validation-error.js';
export { ReadOnlyTransactionError } from './errors/read-only-transaction-error.js';
export { UnsupportedFeatureError } from './errors/unsupported-feature-error.js';
export type { UnsupportedFeature } from './errors/unsupported-feature-error.js';
export { UnsupportedError } from './errors/unsupported-error.js';
export { TransactionRequiredError } from './errors/transaction-required-error.js';
export { TooManyRowsError } from './errors/too-many-rows-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export { TlsError } from './errors/tls-error.js';
export type { TlsErrorReason } from './errors/tls-error.js';

// Migrations
export type {
  CollectionValidation,
  ColumnKind,
  ColumnModel,
  ColumnType,
  ForeignKeyModel,
  IndexModel,
  SchemaModel,
  TableModel,
} from './migration/schema-model.js';
export type { SchemaTarget } from './migration/schema-target.js';
export type {
  MigrationStep,
  MigrationStepKind,
  RenameSuggestion,
  SchemaDiff,
} from './migration/migration-step.js';
export { BERTH_TABLE_PREFIX, diffSchema } from './migration/diff-schema.js';
export type { DiffOptions } from './migration/diff-schema.js';
export { compareColumnType } from './migration/compare-column-type.js';
export type { ColumnChange } from './migration/compare-column-type.js';
export type {
  AppliedMigration,
  MigrationDriver,
  MigrationOptions,
  MigrationProgress,
  MigrationSource,
  RenderOptions,
} from './migration/migration-driver.js';
export { migrationChecksum } from './migration/checksum.js';
export { DEFAULT_HISTORY_TABLE } from './migration/migration-driver.js';
export {
  DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  migrateBaseline,
  migrateDown,
  migrateUp,
  migrationStatus,
  planMigration,
  planSplitMigration,
} from './migration/migrate.js';
export { isExpandStep, splitExpandContract } from './migration/expand-contract.js';
export type { ExpandContract } from './migration/expand-contract.js';
export type {
  MigrateBaselineOptions,
  MigrateBaselineResult,
  MigrateDownOptions,
  MigrateDownResult,
  MigrateUpOptions,
  MigrateUpResult,
  MigrationPlan,
  MigrationStatus,
  PlanOptions,
  SplitMigrationPlan,
} from './migration/migrate.js';
export { SchemaDriftError } from './errors/schema-drift-error.js';
export { MigrationError } from './errors/migration-error.js';
export type { MigrationErrorReason } from './errors/migration-error.js';

// Runtime
export { connect, ADAPTER_PACKAGES } from './connect.js';
// For adapters: one bounded wait and one error normalisation instead of a copy in each driver.
export { asError, withTimeout } from './async/with-timeout.js';
export type { ConnectOptions } from './connect.js';
export { describeDatabaseUrl, formatDatabaseTarget } from './url/describe-database-url.js';
export type { DatabaseTarget } from './url/describe-database-url.js';
export { Database } from './database.js';
export type { DatabaseOptions } from './database.js';
export { Session, Transaction } from './session.js';
export { Repository } from './repository/repository.js';
export { MAX_PAGE_SIZE } from './repository/find-options.js';
export type { FindOptions, WriteOptions } from './repository/find-options.js';
export { MAX_UNBOUNDED_ROWS } from './repository/find-options.js';
export type { ReadOptions, StreamOptions } from './repository/find-options.js';
export { DEFAULT_STREAM_BATCH } from './repository/stream-rows.js';
export type { Page } from './repository/page.js';
export { UnitOfWork } from './unit-of-work/unit-of-work.js';
export type { FlushResult } from './unit-of-work/unit-of-work.js';
export { Pool } from './pool/pool.js';
export type { Lease } from './pool/lease.js';
export { uuidv7 } from './id/uuidv7.js';

// Escape hatches: raw SQL, transaction options, query events
export { sql, SqlFragment, SqlIdentifier } from './raw/sql-fragment.js';
export type { SqlPart, SqlTag } from './raw/sql-fragment.js';
export type { RawExecuteTag, RawSqlTag } from './raw/raw-sql.js';
export { ISOLATION_LEVELS } from './transaction/transaction-options.js';
export type {
  IsolationLevel,
  RetryBackoff,
  RetryOptions,
  TransactionAttempt,
  TransactionOptions,
} from './transaction/transaction-options.js';
export type { QueryEvent, QueryListener } from './events/query-event.js';
export type {
  FlushInfo,
  FlushWrapper,
  TransactionInfo,
  TransactionWrapper,
} from './transaction/transaction-wrappers.js';
export type { QueryEventOptions } from './events/query-event-hub.js';
export type { QueryLogger } from './events/query-logger.js';

// Building blocks for adapters and tests
export { normalizeWhere } from './query/normalize-where.js';
export { parseSelect } from './query/select.js';
export { parseLock } from './query/row-lock.js';
export { parseOrderBy } from './query/order-by.js';
export { encodeCursor, cursorCondition } from './query/cursor.js';
export { buildInsertRow, validatePatch } from './entity/build-row.js';
export { MAX_JSON_NESTING, validateValue } from './entity/validate-value.js';

// Field kinds beyond the basic ones: enum, decimal, bigint, date-only, bytes
export { MAX_ENUM_VALUE_LENGTH } from './entity/kinds/enum-kind.js';
export { MAX_DECIMAL_PRECISION, MAX_DECIMAL_SCALE, canonicalDecimal } from './entity/kinds/decimal-kind.js';
export { MIN_INT64, MAX_INT64 } from './entity/kinds/bigint-kind.js';
export { dateOnlyFromDriverDate } from './entity/kinds/date-only-kind.js';
export { DEFAULT_MAX_BYTES } from './entity/kinds/bytes-kind.js';
export { storedForm } from './entity/kinds/stored-form.js';

// Writes beyond one row: set-based writes, numeric operators, upserts
export { OutOfBoundsError } from './errors/out-of-bounds-error.js';
export type { NumericOperator, RoundedMultiply, UpdateOf } from './entity/update-of.js';
export {
  MAX_ROUNDING_SCALE,
  decimalOperand,
  multiplyRounded,
  type DecimalOperand,
} from './entity/decimal-operand.js';
export { parseUpdate, applyOperation, withinBounds } from './entity/parse-update.js';
export type { ParsedUpdate } from './entity/parse-update.js';
export type {
  ModifyCommand,
  ModifyManyResult,
  NumericOperation,
  RoundingMode,
  UpsertCommand,
  UpsertItem,
  UpsertOutcome,
} from './driver/write-commands.js';
export type { UpsertArgs, UpsertKey, UpsertManyOptions, UpsertResult } from './repository/upsert-args.js';
export type { PositionOrder, ReplicationSupport } from './driver/replication-support.js';
export type { CausalReadSupport } from './driver/causal-read-support.js';
export { StatementBoundExceeded, withinStatementBound } from './driver/statement-bound.js';
export type { ReplicaStats } from './replica/routing-scope.js';
export type { ReplicaMemberStats } from './replica/replica-member.js';
export { REPLICA_LAG_CHECK_INTERVAL_MS, REPLICA_RETRY_AFTER_MS } from './replica/replica-member.js';
