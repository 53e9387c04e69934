import type { Capabilities } from '@berth/core';
import type { Document } from 'mongodb';

/**
 * Capabilities from the server's `hello` reply. Multi-document transactions need a replica-set member
 * (`setName`), a mongos (`msg: "isdbgrid"`) or a load balancer in front of mongos (`serviceId`); a
 * standalone server has none of these. MongoDB has no savepoints. `returning` is true: `findOneAndUpdate`
 * writes one document and returns it in the same command, which is what the core asks of it.
 */
export function detectCapabilities(hello: Document): Capabilities {
  const transactions =
    typeof hello.setName === 'string' || hello.msg === 'isdbgrid' || hello.serviceId !== undefined;
  return Object.freeze({ multipleConnections: true, transactions, savepoints: false, returning: true });
}
