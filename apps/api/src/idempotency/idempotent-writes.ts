import {
  type Database,
  NotFoundError,
  OptimisticLockError,
  TransactionConflictError,
  UniqueViolationError,
} from '@berth/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';
import { IdempotencyRecord } from '../entities.js';
import { requestFingerprint, sha256 } from './fingerprint.js';
import { IDEMPOTENCY_REPLAYED_HEADER, parseIdempotencyKey } from './idempotency-key.js';

/** How long keys are kept when `IDEMPOTENCY_TTL_S` is not set: 24 hours. */
export const DEFAULT_IDEMPOTENCY_TTL_S = 86_400;
/** Expired records one purge deletes at most, so a purge is one bounded statement. */
export const PURGE_BATCH = 100;
/** The longest gap between two purges of one instance (shorter when the TTL is shorter). */
const PURGE_INTERVAL_MS = 60_000;
/** Attempts to claim a key whose holder vanished between our insert and our read (it rolled back). */
const CLAIM_ATTEMPTS = 3;
/** Response headers worth replaying; others (date, content-length, connection) belong to each response. */
const REPLAYED_HEADERS = ['location', 'etag', 'content-type'] as const;

/** What a write route answers: a status, the headers that matter, and the payload (none for a 204). */
export interface WriteOutcome {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload?: unknown;
}

/** A response as stored with its key. */
interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

/** Thrown inside the write's transaction when another request holds or held the key; rolls it back. */
class KeyTaken extends Error {}

/** Pause before retrying a keyed write that met a write conflict, times the attempt. */
const CONFLICT_PAUSE_MS = 25;

/**
 * Whether a keyed write failed because another request with the same key raced it: our claim found the
 * key taken; or a backend that checks uniqueness only at commit (the project's MongoDB test server does;
 * MongoDB itself refuses the second insert with a write conflict) refused our commit on the key's
 * unique index; or a write conflict, which on MongoDB is how a concurrent claim of the key shows.
 */
function keyContention(error: unknown): boolean {
  if (error instanceof KeyTaken || error instanceof TransactionConflictError) return true;
  return error instanceof UniqueViolationError && error.fields.includes('keyHash');
}

function inUse(): ApiError {
  return new ApiError(
    409,
    'IDEMPOTENCY_KEY_IN_USE',
    'a request with this Idempotency-Key is still in progress; retry once it has been answered',
  );
}

function reused(): ApiError {
  return new ApiError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was used with a different request (method, path or body); use a new key',
    [{ field: 'Idempotency-Key', message: 'already used with a different request' }],
  );
}

export interface IdempotentWritesOptions {
  /** Seconds a key is kept and replayed (`IDEMPOTENCY_TTL_S`). */
  ttlSeconds?: number;
  /** Called when a background purge fails; the purge is retried on a later write. */
  onPurgeError?: (error: unknown) => void;
}

/**
 * Runs the service's writes under the `Idempotency-Key` contract. Without a key a write runs as before.
 * With one, the key's record is inserted first, the write runs, and the record is completed with the
 * response, all in ONE transaction: the record exists exactly when the write committed, so a retry either
 * replays the first response (`Idempotency-Replayed: true`) or performs the write once, whatever happened
 * to the first reply (even a commit whose outcome was unknown).
 *
 * - Same key, different method, path or body: 422 `IDEMPOTENCY_KEY_REUSED`.
 * - Same key while the first request is in progress: 409 `IDEMPOTENCY_KEY_IN_USE`. Within this instance
 *   that is known at once. From another instance the record's unique insert either waits for the first
 *   transaction (PostgreSQL, MySQL, PGlite), then replays its response or, had it rolled back, writes; or
 *   conflicts at once (MongoDB's write conflict), which is the 409.
 * - Failed requests are not stored: a 4xx (400, 404, 409 CONFLICT, 412) rolls the record back with the
 *   write, so nothing was written and the key is free for a corrected retry (the draft stores a response
 *   only for a request that was processed; these changed nothing).
 * - Records expire after `ttlSeconds`: an expired one is never replayed (it is deleted when its key comes
 *   back) and a background purge deletes at most `PURGE_BATCH` expired records per interval, after writes.
 */
export class IdempotentWrites {
  readonly #db: Database;
  readonly #ttlMs: number;
  readonly #purgeIntervalMs: number;
  readonly #onPurgeError: (error: unknown) => void;
  /** Keys (hashed) with a request in progress in this instance. */
  readonly #inFlight = new Set<string>();
  #lastPurge = 0;
  #purging: Promise<void> | undefined;

  constructor(db: Database, options: IdempotentWritesOptions = {}) {
    this.#db = db;
    this.#ttlMs = (options.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_S) * 1000;
    this.#purgeIntervalMs = Math.min(PURGE_INTERVAL_MS, this.#ttlMs);
    this.#onPurgeError = options.onPurgeError ?? (() => undefined);
  }

  /**
   * Answers `request` with `write`'s outcome, under the request's `Idempotency-Key` if it has one (see the
   * class). `write` must do all its database work through `db` (it runs inside the key's transaction).
   */
  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    write: () => Promise<WriteOutcome>,
  ): Promise<FastifyReply> {
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (key === undefined) {
      const outcome = await write();
      reply.code(outcome.status);
      if (outcome.headers) reply.headers(outcome.headers);
      return outcome.payload === undefined ? reply.send() : reply.send(outcome.payload);
    }
    const keyHash = sha256(key);
    if (this.#inFlight.has(keyHash)) throw inUse();
    this.#inFlight.add(keyHash);
    try {
      const fingerprint = requestFingerprint(request.method, request.url, request.body);
      const response = await this.#once(keyHash, fingerprint, reply, write);
      return send(reply, response.stored, response.replayed);
    } finally {
      this.#inFlight.delete(keyHash);
    }
  }

  async #once(
    keyHash: string,
    fingerprint: string,
    reply: FastifyReply,
    write: () => Promise<WriteOutcome>,
  ): Promise<{ stored: StoredResponse; replayed: boolean }> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const earlier = await this.#lookup(keyHash, fingerprint);
      if (earlier) return { stored: earlier, replayed: true };
      try {
        const stored = await this.#db.transaction(async () => {
          const records = this.#db.repository(IdempotencyRecord);
          const record = await this.#claim(keyHash, fingerprint);
          const outcome = await write();
          const response = toStored(reply, outcome);
          await records.update(record.id, {
            status: response.status,
            headers: JSON.stringify(response.headers),
            body: response.body,
          });
          return response;
        });
        this.#purgeSoon();
        return { stored, replayed: false };
      } catch (error) {
        if (!keyContention(error)) {
          // A unique value taken by a concurrent request with this very key (it committed first, on a
          // backend that checks uniqueness at commit) is that request's answer, not a conflict.
          if (error instanceof UniqueViolationError) {
            const winner = await this.#lookup(keyHash, fingerprint);
            if (winner) return { stored: winner, replayed: true };
          }
          throw error;
        }
        // Another request with this key won the race: the next lookup replays it, or, had it rolled back,
        // the next claim succeeds. A write conflict is retried after a pause (it may be with that request).
        if (error instanceof TransactionConflictError) {
          if (attempt === CLAIM_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, CONFLICT_PAUSE_MS * attempt));
        }
      }
    }
    throw inUse();
  }

  /** The stored response for this key, a 422 when the key was used for another request, or undefined. */
  async #lookup(keyHash: string, fingerprint: string): Promise<StoredResponse | undefined> {
    const records = this.#db.repository(IdempotencyRecord);
    const record = await records.findOne({ keyHash });
    if (!record) return undefined;
    if (record.expiresAt.getTime() <= Date.now()) {
      // Expired: never replayed. Deleted now, conditionally, so a concurrent re-claim is not disturbed.
      await records.delete(record.id, { expectedVersion: record.version }).catch((error: unknown) => {
        if (!(error instanceof NotFoundError || error instanceof OptimisticLockError)) throw error;
      });
      return undefined;
    }
    if (record.fingerprint !== fingerprint) throw reused();
    // A committed record always has its response: status 0 only ever exists inside the claiming transaction.
    return {
      status: record.status,
      headers: JSON.parse(record.headers) as Record<string, string>,
      body: record.body,
    };
  }

  /** Inserts the key's record in the current transaction; `KeyTaken` or a 409 when another request has it. */
  async #claim(keyHash: string, fingerprint: string) {
    try {
      return await this.#db.repository(IdempotencyRecord).insert({
        keyHash,
        fingerprint,
        status: 0,
        headers: '{}',
        body: null,
        expiresAt: new Date(Date.now() + this.#ttlMs),
      });
    } catch (error) {
      // Committed by another request meanwhile (our insert waited for it): read it on the next attempt.
      if (error instanceof UniqueViolationError) throw new KeyTaken();
      // Another transaction holds the key uncommitted and the backend refuses to wait (MongoDB).
      if (error instanceof TransactionConflictError) throw inUse();
      throw error;
    }
  }

  /** Starts a bounded purge of expired records in the background, at most once per interval. */
  #purgeSoon(): void {
    const now = Date.now();
    if (this.#purging || now - this.#lastPurge < this.#purgeIntervalMs) return;
    this.#lastPurge = now;
    this.#purging = this.purgeExpired()
      .then(() => undefined, this.#onPurgeError)
      .finally(() => {
        this.#purging = undefined;
      });
  }

  /** Deletes at most `limit` expired records, in one statement; resolves with how many. */
  async purgeExpired(limit = PURGE_BATCH): Promise<number> {
    const work = this.#db.unitOfWork();
    const page = await work.find(IdempotencyRecord, {
      where: { expiresAt: { lte: new Date() } },
      orderBy: 'expiresAt',
      limit,
    });
    for (const record of page.items) work.remove(IdempotencyRecord, record);
    try {
      return (await work.flush()).deleted;
    } catch (error) {
      // A record re-claimed or purged by another instance meanwhile: the next purge gets the rest.
      if (error instanceof OptimisticLockError) return 0;
      throw error;
    }
  }

  /** Resolves once a purge in progress (if any) has finished; for tests and shutdown. */
  async settled(): Promise<void> {
    await this.#purging;
  }
}

/** The response `outcome` gives, as it is sent and stored: its JSON text serialized by the route's schema. */
function toStored(reply: FastifyReply, outcome: WriteOutcome): StoredResponse {
  reply.code(outcome.status);
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = outcome.headers?.[name];
    if (value !== undefined) headers[name] = value;
  }
  if (outcome.payload === undefined) return { status: outcome.status, headers, body: null };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { status: outcome.status, headers, body: reply.serialize(outcome.payload) as string };
}

function send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  reply.code(response.status).headers(response.headers);
  if (replayed) reply.header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
  return response.body === null ? reply.send() : reply.send(response.body);
}
