/**
 * The berth adapter conformance suite: one vitest suite every backend adapter runs, checking repositories,
 * filters, pagination, units of work, transactions, errors and the pool contract against the database itself.
 *
 * @packageDocumentation
 * @module @berth/testkit
 */
export { runConformanceSuite } from './run-conformance-suite.js';
export type { ConformanceTarget } from './conformance-target.js';
export {
  Account,
  Entry,
  Gadget,
  Ledger,
  Membership,
  Profile,
  Widget,
  conformanceEntities,
} from './conformance-entities.js';
export { Asset, Counter, Item, Tag, Tally, Ticket } from './write-entities.js';

// Fault tooling for adapters' own tests; also at `@berth/testkit/faults`, which does not import vitest.
export { TcpProxy, freePort } from './faults/index.js';
