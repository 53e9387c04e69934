// The module's own binding: the global `performance` is a lazy getter in Node, a JS call on every read,
// and the pool reads the clock on every acquire and release.
import { performance } from 'node:perf_hooks';

/** One scheduled deadline; it is its own handle, so scheduling allocates no closure. */
class Entry implements ScheduledDeadline {
  done = false;
  constructor(
    readonly timer: DeadlineTimer,
    readonly deadline: number,
    readonly fire: () => void,
  ) {}

  cancel(): void {
    this.timer.cancelEntry(this);
  }
}

/** A scheduled deadline; `cancel()` is idempotent and cheap. */
export interface ScheduledDeadline {
  cancel(): void;
}

/**
 * Many deadlines on one timer. Every acquire has a deadline, but almost every acquire finishes long before
 * it, so arming and clearing a timer per acquire would be most of the pool's overhead. Entries are kept in
 * deadline order (the pool's deadlines arrive almost in order, so insertion scans from the end); one timer
 * is armed for the earliest live entry. A cancelled entry at either end is dropped at once, so the common
 * acquire-then-cancel pattern is O(1) and leaves the list empty.
 *
 * The timer keeps the process alive only while some deadline is still live, as a per-acquire timer would.
 * A timer can fire early by up to a few ms (Node truncates delays and counts from a cached clock); the
 * deadline is a contract, so an early wake-up re-arms for what is left.
 */
export class DeadlineTimer {
  readonly #entries: Entry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #armedFor = Number.POSITIVE_INFINITY;
  #live = 0;

  schedule(deadline: number, fire: () => void): ScheduledDeadline {
    const entry = new Entry(this, deadline, fire);
    const entries = this.#entries;
    let i = entries.length;
    while (i > 0 && entries[i - 1]!.deadline > deadline) i--;
    if (i === entries.length) entries.push(entry);
    else entries.splice(i, 0, entry);
    this.#live++;
    if (deadline < this.#armedFor) this.#arm(deadline);
    else this.#timer?.ref();
    return entry;
  }

  /** @internal `ScheduledDeadline.cancel` of an entry of this timer. */
  cancelEntry(entry: Entry): void {
    if (entry.done) return;
    entry.done = true;
    this.#live--;
    const entries = this.#entries;
    while (entries.length > 0 && entries[entries.length - 1]!.done) entries.pop();
    while (entries.length > 0 && entries[0]!.done) entries.shift();
    if (this.#live === 0) this.#timer?.unref();
  }

  #arm(deadline: number): NodeJS.Timeout {
    if (this.#timer) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(() => this.#run(), Math.max(0, Math.ceil(deadline - performance.now())));
    return this.#timer;
  }

  #run(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const entries = this.#entries;
    const now = performance.now();
    while (entries.length > 0 && (entries[0]!.done || entries[0]!.deadline <= now)) {
      const entry = entries.shift()!;
      if (entry.done) continue;
      entry.done = true;
      this.#live--;
      entry.fire();
    }
    if (entries.length > 0) {
      const timer = this.#arm(entries[0]!.deadline);
      if (this.#live === 0) timer.unref();
    }
  }

  /** Cancels the timer; pending deadlines never fire. */
  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) entry.done = true;
    this.#entries.length = 0;
    this.#live = 0;
  }
}
