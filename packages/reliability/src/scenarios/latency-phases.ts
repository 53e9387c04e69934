import type { HttpClient } from '../http.js';
import { percentile } from './harness.js';
import { ms } from './scenario.js';

/** One phase of the hostile scenario: the probe's times among ordinary (A) or hostile (B) clients. */
export interface Phase {
  readonly kind: 'A' | 'B';
  /** Each probe's latency in ms; a probe that failed counts as infinitely slow. */
  readonly times: readonly number[];
  /** When each probe was sent and answered, in the order of `times`. */
  readonly probeSpans: readonly { readonly startedAt: number; readonly endedAt: number }[];
  readonly probeFailures: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The API process's longest event-loop delay during the phase (ms), from its /metrics. */
  readonly lagMaxMs: number;
  /** The 99th percentile of its event-loop delay during the phase (ms). */
  readonly lagP99Ms: number;
  /** Time the API process spent in garbage collection during the phase (ms). */
  readonly gcMs: number;
}

/** A hostile request's span, to tell which kinds were in flight while a probe was slow. */
export interface Span {
  readonly kind: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface LoopStats {
  readonly lagMaxMs: number;
  readonly lagP99Ms: number;
  readonly gcMs: number;
}

function metric(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      found = true;
    }
  }
  return found ? sum * 1_000 : Number.NaN;
}

/**
 * The API's event-loop delay since the last read (prom-client resets its histogram at every scrape) and its
 * garbage-collection time so far, from `GET /metrics`.
 */
export async function loopStats(http: HttpClient): Promise<LoopStats> {
  const reply = await http.request('GET', '/metrics', { timeoutMs: 5_000 }).catch(() => undefined);
  const text = reply?.status === 200 ? reply.text : '';
  return {
    lagMaxMs: metric(text, 'nodejs_eventloop_lag_max_seconds'),
    lagP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds'),
    gcMs: metric(text, 'nodejs_gc_duration_seconds_sum'),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface LatencyVerdict {
  readonly held: boolean;
  /** The median of the A phases' p95s, and of the B phases'. */
  readonly ordinaryP95: number;
  readonly hostileP95: number;
  readonly bound: number;
  readonly figure: string;
}

const list = (values: readonly number[]) => values.map((v) => Math.round(v)).join('/');

/**
 * Normal traffic's latency "unchanged" under hostile input: the median of the hostile phases' p95s at most
 * 2 × the median of the ordinary phases' p95s + 20 ms, and no probe failing in either. When it does not
 * hold, says which kinds of hostile request were in flight during the slow probes, beside their share of
 * all hostile requests, and how the API's event loop and garbage collector fared in each phase.
 */
export function compareLatency(phases: readonly Phase[], spans: readonly Span[]): LatencyVerdict {
  const a = phases.filter((p) => p.kind === 'A');
  const b = phases.filter((p) => p.kind === 'B');
  const aP95 = a.map((p) => percentile(p.times, 95));
  const bP95 = b.map((p) => percentile(p.times, 95));
  const ordinaryP95 = median(aP95);
  const hostileP95 = median(bP95);
  const bound = 2 * ordinaryP95 + 20;
  const failed = phases.reduce((n, p) => n + p.probeFailures, 0);
  const held = a.length > 0 && b.length > 0 && hostileP95 <= bound && failed === 0;
  const probes = (ps: readonly Phase[]) => ps.reduce((n, p) => n + p.times.length, 0);
  let figure =
    `normal p95 ${ms(ordinaryP95)} -> ${ms(hostileP95)} (bound ${ms(bound)}; medians of per-phase p95s, ` +
    `A-B-B-A twice: ordinary ${list(aP95)} ms over ${probes(a)} probes, hostile ${list(bP95)} ms over ${probes(b)}` +
    `${failed ? `, ${failed} probes failed` : ''})`;
  if (!held) {
    figure +=
      `; API event loop max delay ${list(a.map((p) => p.lagMaxMs))} vs ${list(b.map((p) => p.lagMaxMs))} ms, ` +
      `p99 ${list(a.map((p) => p.lagP99Ms))} vs ${list(b.map((p) => p.lagP99Ms))} ms, ` +
      `GC ${list(a.map((p) => p.gcMs))} vs ${list(b.map((p) => p.gcMs))} ms; ${slowProbeSuspects(b, spans, bound)}`;
  }
  return { held, ordinaryP95, hostileP95, bound, figure };
}

/** The hostile kinds most over-represented among the requests in flight while a probe took over `bound`. */
export function slowProbeSuspects(phases: readonly Phase[], spans: readonly Span[], bound: number): string {
  const slow = phases.flatMap((p) => p.probeSpans.filter((_, i) => p.times[i]! > bound));
  if (slow.length === 0) return 'no single probe over the bound';
  const share = new Map<string, number>();
  for (const s of spans) share.set(s.kind, (share.get(s.kind) ?? 0) + 1);
  const overlapping = new Map<string, number>();
  for (const probe of slow) {
    const kinds = new Set(
      spans.filter((s) => s.startedAt < probe.endedAt && s.endedAt > probe.startedAt).map((s) => s.kind),
    );
    for (const k of kinds) overlapping.set(k, (overlapping.get(k) ?? 0) + 1);
  }
  const ranked = [...overlapping.entries()]
    .map(([kind, n]) => ({ kind, n, lift: n / slow.length / ((share.get(kind) ?? 0) / spans.length) }))
    .sort((x, y) => y.lift - x.lift)
    .slice(0, 3);
  return (
    `${slow.length} probes over the bound; in flight during them: ` +
    ranked
      .map(
        (r) =>
          `${r.kind} ${r.n}/${slow.length} (${Math.round((100 * (share.get(r.kind) ?? 0)) / spans.length)} % of requests)`,
      )
      .join(', ')
  );
}
