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

// Scale-out cases the SQL adapters run against their real replicas and TLS servers
export { runReadReplicaCases } from './scale-out/read-replica-cases.js';
export type {
  ReadReplicaContext,
  ReadReplicaTarget,
  ReplicaOpenOptions,
} from './scale-out/read-replica-target.js';
export { Note as ReplicaNote } from './scale-out/replica-note.js';
export { openReplicaBehindProxy } from './scale-out/replica-behind-proxy.js';
export type { ReplicaBehindProxy } from './scale-out/replica-behind-proxy.js';
export { runReplicaConformanceSuite } from './scale-out/replica-conformance.js';
export type { ReplicaConformanceTarget } from './scale-out/replica-conformance.js';
export { runTlsCases } from './scale-out/tls-cases.js';
export type { TlsAsk, TlsDriverOption, TlsRefusal, TlsTarget } from './scale-out/tls-target.js';
export { tlsTestServer, unusableServer } from './scale-out/tls-test-server.js';
export type { TlsCertificates, TlsTestServer } from './scale-out/tls-test-server.js';

// Fault tooling for adapters' own tests; also at `@berth/testkit/faults`, which does not import vitest.
export { TcpProxy, freePort } from './faults/index.js';
