import type { BackendName, Capabilities, Driver, DriverConnection } from '@berth/core';

/**
 * A driver over one in-memory connection that answers at once: what the database-free benches put under
 * berth's pool, so only berth's own CPU is measured.
 */
export class StubDriver<C extends DriverConnection> implements Driver {
  readonly max = 8;

  constructor(
    readonly backend: BackendName,
    readonly capabilities: Capabilities,
    readonly connection: C,
  ) {}

  open(): Promise<void> {
    return Promise.resolve();
  }
  acquire(): Promise<DriverConnection> {
    return Promise.resolve(this.connection);
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
  nativeStats() {
    return { total: 1, idle: 1 };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
