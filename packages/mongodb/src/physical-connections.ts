import type { MongoClient } from 'mongodb';

type State = 'opening' | 'idle' | 'checkedOut';

interface ConnectionEvent {
  readonly address: string;
  readonly connectionId: number | '<monitor>';
}

/** The driver's physical sockets, as counted from its connection-pool (CMAP) events. */
export interface PhysicalConnectionStats {
  /** Sockets open or opening (created − closed). */
  readonly total: number;
  /** Of those, established and waiting in the driver's pool (total − checked out − opening). */
  readonly idle: number;
  /** Checked out by an operation in flight. */
  readonly checkedOut: number;
}

/**
 * Tracks the driver's physical connections through the CMAP monitoring events (`connectionCreated`,
 * `connectionReady`, `connectionCheckedOut`, `connectionCheckedIn`, `connectionClosed`,
 * `connectionPoolCleared`). Connections are kept by address and id rather than as counters, so a
 * missed or repeated event cannot make the counts drift. After a pool clear, idle sockets of the old
 * generation are no longer counted: the driver discards them (a `connectionClosed` follows, lazily).
 */
export class PhysicalConnections {
  readonly #connections = new Map<string, State>();

  /** Subscribes to `client`'s CMAP events; `onCleared` is told when the driver clears a server's pool. */
  constructor(client: MongoClient, onCleared: (address: string) => void) {
    const key = (event: ConnectionEvent) => `${event.address}#${event.connectionId}`;
    client.on('connectionCreated', (event) => this.#connections.set(key(event), 'opening'));
    client.on('connectionReady', (event) => this.#connections.set(key(event), 'idle'));
    client.on('connectionCheckedOut', (event) => this.#connections.set(key(event), 'checkedOut'));
    client.on('connectionCheckedIn', (event) => {
      if (this.#connections.has(key(event))) this.#connections.set(key(event), 'idle');
    });
    client.on('connectionClosed', (event) => this.#connections.delete(key(event)));
    client.on('connectionPoolCleared', (event) => {
      for (const [id, state] of this.#connections) {
        if (state !== 'checkedOut' && id.startsWith(`${event.address}#`)) this.#connections.delete(id);
      }
      onCleared(event.address);
    });
  }

  stats(): PhysicalConnectionStats {
    let idle = 0;
    let checkedOut = 0;
    for (const state of this.#connections.values()) {
      if (state === 'idle') idle++;
      else if (state === 'checkedOut') checkedOut++;
    }
    return { total: this.#connections.size, idle, checkedOut };
  }
}
