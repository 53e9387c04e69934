import { Database } from '@berth/core';
import { runConformanceSuite } from '@berth/testkit';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDriver } from '../src/index.js';

/**
 * PGlite is one connection in this process, and a new instance takes a second or two to start. Each `open`
 * hands the driver an in-memory instance that no open driver is using (reusing the newest free one, so data
 * outlives `close()` as on a server), and only makes a new one when every instance is in use. Raw reads go
 * to the newest instance whose driver is still open, else the newest one: the database the case works on.
 */
const instances: Array<{ pglite: PGlite; driver: PGliteDriver }> = [];
const opening = new Set<PGliteDriver>();
const isOpen = (driver: PGliteDriver) => driver.nativeStats().total > 0;
const inUse = (driver: PGliteDriver) => opening.has(driver) || isOpen(driver);

function current(): PGlite {
  const instance = instances.findLast(({ driver }) => isOpen(driver)) ?? instances.at(-1);
  if (!instance) throw new Error('no PGlite database has been opened yet');
  return instance.pglite;
}

runConformanceSuite({
  name: 'pglite',
  async open({ entities, pool, ...events }) {
    // Chosen and claimed before any await, so concurrent opens never share an instance.
    const free = instances.findLastIndex(({ driver }) => !inUse(driver));
    const pglite = free >= 0 ? instances.splice(free, 1)[0]!.pglite : new PGlite();
    const driver = new PGliteDriver({ ...pool, pglite });
    instances.push({ pglite, driver });
    opening.add(driver);
    try {
      return await Database.open(driver, { entities, pool, ...events });
    } finally {
      opening.delete(driver);
    }
  },
  async teardown() {
    for (const { pglite } of instances.splice(0)) if (!pglite.closed) await pglite.close();
  },
  async readRaw(table) {
    return (await current().query<Record<string, unknown>>(`SELECT * FROM "${table.replaceAll('"', '""')}"`))
      .rows;
  },
});
