/**
 * Fault tooling without the test runner: a free loopback port and a TCP proxy that can cut, freeze or
 * blackhole connections. Nothing here imports vitest, so plain Node programs (a fault-injection runner, a
 * script) can use it; the package's main entry re-exports the same helpers for tests.
 *
 * @packageDocumentation
 * @module @berth/testkit/faults
 */
export { freePort } from './free-port.js';
export { TcpProxy } from './tcp-proxy.js';
