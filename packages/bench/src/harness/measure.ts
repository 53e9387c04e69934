import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentile } from './stats.js';

let gc: (() => void) | undefined;

/**
 * A full garbage collection, untimed, before each segment: each segment then starts from the same clean
 * heap and pays, in its scavenges, for what its own operations allocated, instead of a major collection the
 * previous segment's garbage triggered landing in whichever segment happens to be running (on a loaded box,
 * a segment holds a few hundred operations, and one such pause moves its CPU per operation by tens of %).
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** One operation of a workload; `i` is a sequence number the workload may use to vary its input. */
export type Op = (i: number) => Promise<unknown>;

/** What one timed segment measured. */
export interface Segment {
  ops: number;
  elapsedMs: number;
  /** Operations per second. */
  throughput: number;
  /** Latency percentiles of single operations, in milliseconds. */
  p50: number;
  p99: number;
  meanLatency: number;
  /**
   * CPU time of this process (user + system, `process.cpuUsage`) per operation, in µs: steadier than
   * throughput on a shared machine, since it does not count waiting for the server or for other processes.
   * Absent from segments a workload measures itself.
   */
  cpuUsPerOp?: number;
}

export interface LoopOptions {
  /** Concurrent callers, each running `op` back to back (a closed loop). */
  callers: number;
  /** Stop starting new operations after this long. */
  durationMs?: number;
  /** Or: run exactly this many operations in all. */
  ops?: number | undefined;
  /** First sequence number (so successive segments use fresh inputs). */
  start?: number;
}

/**
 * Runs `op` in a closed loop: `callers` async callers, each awaiting one operation before starting the
 * next, for `durationMs` (or until `ops` operations ran). Every operation's latency is recorded.
 * Throughput counts completed operations over the wall time until the last one finished.
 */
export async function closedLoop(op: Op, options: LoopOptions): Promise<Segment> {
  const { callers } = options;
  const limit = options.ops ?? Number.POSITIVE_INFINITY;
  let next = options.start ?? 0;
  const first = next;
  let latencies = new Float64Array(4096);
  let count = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const end = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  const caller = async () => {
    while (next - first < limit && performance.now() < end) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      const t = performance.now() - t0;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = t;
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sorted = latencies.subarray(0, count).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    ops: count,
    elapsedMs,
    throughput: (count / elapsedMs) * 1000,
    p50: percentile(sorted, 50, true),
    p99: percentile(sorted, 99, true),
    meanLatency: count === 0 ? Number.NaN : sum / count,
    cpuUsPerOp: count === 0 ? Number.NaN : (used.user + used.system) / count,
  };
}
