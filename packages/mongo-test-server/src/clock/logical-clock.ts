import { Timestamp } from 'bson';

/**
 * The server's cluster time, as a replica-set member keeps it: every reply is stamped with a time later
 * than any it handed out or was told about, seconds from the wall clock and an increment within the second.
 * Gossip (`$clusterTime` in a command) moves it forward, as a member's vector clock does, so a client can
 * carry a cluster time from another connection, or another client, and wait for it (`afterClusterTime`).
 */
export class LogicalClock {
  #last = new Timestamp({ t: 0, i: 0 });

  /** The latest time handed out or learned. */
  get current(): Timestamp {
    return this.#last;
  }

  /** A new time, later than every earlier one: the time of the operation being answered. */
  tick(): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    const last = this.#last;
    this.#last = now > last.t ? new Timestamp({ t: now, i: 1 }) : new Timestamp({ t: last.t, i: last.i + 1 });
    return this.#last;
  }

  /** Learns a time gossiped by a client; never moves back. */
  observe(time: Timestamp): void {
    if (time.greaterThan(this.#last)) this.#last = time;
  }
}
