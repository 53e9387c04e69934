import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiConfig, ApiProcess } from '../api-process.js';
import { FaultProxy } from '../fault-proxy.js';
import type { HttpClient, Reply } from '../http.js';
import { CONFIG, type ScenarioContext } from './scenario.js';

export interface Stack {
  readonly api: ApiProcess;
  /** The proxy between the app and its database (undefined for PGlite). */
  readonly proxy: FaultProxy | undefined;
  readonly http: HttpClient;
}

export interface StackOptions extends Partial<Omit<ApiConfig, 'databaseUrl'>> {
  /** PGlite in a data folder rather than in memory, so data outlives the process. */
  readonly pgliteFolder?: string;
}

/** Starts a proxy in front of the backend and the app behind it, runs `body`, then tears both down. */
export async function withStack<T>(
  context: ScenarioContext,
  options: StackOptions,
  body: (stack: Stack) => Promise<T>,
): Promise<T> {
  const target = context.control.target;
  const proxy = target ? await FaultProxy.start({ target }) : undefined;
  let api: ApiProcess | undefined;
  try {
    const databaseUrl =
      context.backend === 'pglite' && options.pgliteFolder
        ? `pglite://${options.pgliteFolder}`
        : context.control.appUrl(proxy?.port);
    api = await ApiProcess.start({ ...CONFIG, ...options, databaseUrl });
    return await body({ api, proxy, http: api.http });
  } finally {
    if (api && !api.exit) await api.stop('SIGTERM', 10_000);
    await proxy?.close();
  }
}

/** A scratch folder for a PGlite data directory, removed by `dispose`. */
export function scratchFolder(): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'berth-reliability-'));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

export function employee(tag: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    name: `Employee ${n}`,
    email: `${tag}-${n}@example.com`,
    department: `${tag}-dept`,
    salary: 10_000 + n,
    hiredAt: '2024-01-02T03:04:05.000Z',
    ...extra,
  };
}

export async function create(http: HttpClient, tag: string, n: number, extra: Record<string, unknown> = {}) {
  const reply = await http.json('POST', '/employees', employee(tag, n, extra));
  if (reply.status !== 201) throw new Error(`seeding failed: ${reply.status} ${reply.text.slice(0, 200)}`);
  return reply.json as { id: string; version: number; salary: number; email: string };
}

/** Settles a request into its reply or `undefined` (no HTTP answer), never throwing. */
export function settle(promise: Promise<Reply>): Promise<Reply | undefined> {
  return promise.catch(() => undefined);
}

export const is2xx = (r: Reply | undefined) => r !== undefined && r.status >= 200 && r.status < 300;

/** Waits until `check` is true, polling; resolves with the time it became true, or undefined. */
export async function until(
  check: () => Promise<boolean>,
  limitMs: number,
  everyMs = 50,
): Promise<number | undefined> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return performance.now();
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
