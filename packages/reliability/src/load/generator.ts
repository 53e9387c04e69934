import type { HttpClient } from '../http.js';
import { errorCode } from '../http.js';
import type { AckLedger } from './ledger.js';

export type Operation = 'create' | 'update' | 'get' | 'list';

/** One request the generator made and how it ended (`status` 0: no HTTP answer at all). */
export interface Outcome {
  readonly op: Operation;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: string | undefined;
  /** Why there was no HTTP answer, when there was none. */
  readonly error?: string;
}

export interface LoadOptions {
  /** Requests per second, sent open-loop: a slow answer does not slow the sending. */
  readonly rate: number;
  /** Share of each operation (normalised); default 35 % creates, 15 % updates, 30 % gets, 20 % lists. */
  readonly mix?: Partial<Record<Operation, number>>;
  /** Prefix of generated e-mails and departments, unique per run. */
  readonly tag: string;
  /** Most requests in flight; past it a tick is skipped and counted (default 500). */
  readonly maxInFlight?: number;
}

const DEFAULT_MIX: Record<Operation, number> = { create: 35, update: 15, get: 30, list: 20 };

/**
 * A load generator for the reliability scenarios: mixed reads and writes at a steady rate against the
 * API, every acknowledged write entered in the ledger, every outcome kept with its timing.
 */
export class LoadGenerator {
  readonly outcomes: Outcome[] = [];
  readonly #http: HttpClient;
  readonly #ledger: AckLedger;
  readonly #options: LoadOptions;
  readonly #inFlight = new Set<Promise<void>>();
  /** Ids with a change in flight, so two changes of one employee never race each other. */
  readonly #busy = new Set<string>();
  #running = false;
  #loop: Promise<void> | undefined;
  #sequence = 0;
  skipped = 0;

  constructor(http: HttpClient, ledger: AckLedger, options: LoadOptions) {
    this.#http = http;
    this.#ledger = ledger;
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops sending and waits for every request in flight to be answered. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await Promise.all([...this.#inFlight]);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  async #run(): Promise<void> {
    const interval = 1_000 / this.#options.rate;
    let next = performance.now();
    while (this.#running) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      next += interval;
      if (!this.#running) break;
      if (this.#inFlight.size >= (this.#options.maxInFlight ?? 500)) {
        this.skipped++;
        continue;
      }
      const work = this.#one().finally(() => this.#inFlight.delete(work));
      this.#inFlight.add(work);
    }
  }

  #pick(): Operation {
    const mix = { ...DEFAULT_MIX, ...this.#options.mix };
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    let r = Math.random() * total;
    for (const [op, share] of Object.entries(mix) as [Operation, number][]) {
      r -= share;
      if (r < 0) return op;
    }
    return 'get';
  }

  async #one(): Promise<void> {
    let op = this.#pick();
    const ids = this.#ledger.ids();
    if ((op === 'update' || op === 'get') && ids.length === 0) op = 'create';
    const n = this.#sequence++;
    const tag = this.#options.tag;
    const startedAt = performance.now();
    let id: string | undefined;
    try {
      let reply: Awaited<ReturnType<HttpClient['request']>>;
      if (op === 'create') {
        reply = await this.#http.json('POST', '/employees', {
          name: `Load ${n}`,
          email: `${tag}-${n}@load.example`,
          department: `${tag}-d${n % 10}`,
          salary: 1_000 + n,
          hiredAt: '2024-01-02T03:04:05.000Z',
        });
      } else if (op === 'update') {
        id = ids[Math.floor(Math.random() * ids.length)]!;
        if (this.#busy.has(id)) {
          id = undefined;
          reply = await this.#http.request('GET', `/employees?department=${tag}-d${n % 10}&limit=20`);
          op = 'list';
        } else {
          this.#busy.add(id);
          reply = await this.#http.json('PATCH', `/employees/${id}`, { salary: 2_000 + n });
        }
      } else if (op === 'get') {
        reply = await this.#http.request('GET', `/employees/${ids[Math.floor(Math.random() * ids.length)]}`);
      } else {
        reply = await this.#http.request('GET', `/employees?department=${tag}-d${n % 10}&limit=20`);
      }
      if ((op === 'create' && reply.status === 201) || (op === 'update' && reply.status === 200)) {
        this.#ledger.acknowledge(reply.json as { id: string; version: number; salary: number });
      }
      const retryAfter = reply.headers['retry-after'];
      this.outcomes.push({
        op,
        startedAt,
        endedAt: reply.endedAt,
        status: reply.status,
        code: errorCode(reply),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      });
    } catch {
      this.outcomes.push({
        op,
        startedAt,
        endedAt: performance.now(),
        status: 0,
        code: undefined,
        retryAfter: undefined,
      });
    } finally {
      if (id) this.#busy.delete(id);
    }
  }
}

/** Counts outcomes by status class. */
export function summarize(outcomes: readonly Outcome[]) {
  const ok = outcomes.filter((o) => o.status >= 200 && o.status < 300).length;
  const unavailable = outcomes.filter((o) => o.status === 503).length;
  const serverErrors = outcomes.filter((o) => o.status >= 500 && o.status !== 503).length;
  const noAnswer = outcomes.filter((o) => o.status === 0).length;
  return { total: outcomes.length, ok, unavailable, serverErrors, noAnswer };
}
