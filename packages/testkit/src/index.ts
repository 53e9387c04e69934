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

// Fault tooling for adapters' own tests
export { TcpProxy } from './faults/tcp-proxy.js';
