import { Binary, Long } from 'bson';
import type { Document } from 'bson';
import { valueKey } from '../bson-values.js';
import type { CommandHandler } from './context.js';

/** The server version and wire version we claim: MongoDB 7.0 (wire 21), which driver 7 supports. */
export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

/**
 * `hello` / legacy `isMaster`: a one-member replica set whose only member is a writable primary, or a
 * standalone server (no replica-set fields at all), which the driver then treats as `Standalone`.
 */
const hello: CommandHandler = (ctx) => {
  const topology = ctx.server.topology();
  const legacy = ctx.name.toLowerCase() === 'ismaster';
  const now = new Date();
  const replicaSet: Document =
    topology.setName === undefined
      ? {}
      : {
          hosts: [topology.address],
          setName: topology.setName,
          setVersion: 1,
        };
  const member: Document =
    topology.setName === undefined
      ? {}
      : {
          secondary: false,
          primary: topology.address,
          me: topology.address,
          electionId: topology.electionId,
          lastWrite: { lastWriteDate: now, majorityWriteDate: now },
        };
  const reply: Document = {
    topologyVersion: { processId: topology.processId, counter: Long.fromNumber(0) },
    ...replicaSet,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    ...member,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  if (ctx.command.helloOk === true) reply.helloOk = true;
  // No `compression` field: we do not implement OP_COMPRESSED, so we never agree to a compressor.
  return reply;
};

const ping: CommandHandler = () => ({ ok: 1 });

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'berth-mongo-test-server',
  versionArray: SERVER_VERSION.split('.').map(Number).concat(0),
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['memory'],
  modules: [],
  ok: 1,
});

const KNOWN_PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  transactionLifetimeLimitSeconds: 60,
  maxTransactionLockRequestTimeoutMillis: 5,
  authenticationMechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
};

/** `getParameter`: answers the well-known parameters requested (or all with `'*'`). */
const getParameter: CommandHandler = (ctx) => {
  const reply: Document = {};
  const all = ctx.command.getParameter === '*';
  for (const [name, value] of Object.entries(KNOWN_PARAMETERS)) {
    if (all || ctx.command[name] !== undefined) reply[name] = value;
  }
  if (Object.hasOwn(reply, 'transactionLifetimeLimitSeconds')) {
    reply.transactionLifetimeLimitSeconds = Math.ceil(ctx.server.transactions.lifetimeLimitMs / 1000);
  }
  return { ...reply, ok: 1 };
};

/** `serverStatus`: the parts tests inspect, notably live connection counters. */
const serverStatus: CommandHandler = (ctx) => {
  const topology = ctx.server.topology();
  const stats = ctx.server.connectionStats();
  const uptimeMs = Date.now() - topology.startedAt.getTime();
  return {
    host: topology.address,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMs / 1000),
    uptimeMillis: Long.fromNumber(uptimeMs),
    localTime: new Date(),
    connections: {
      current: stats.current,
      available: 838_860 - stats.current,
      totalCreated: stats.totalCreated,
      active: stats.active,
    },
    transactions: { currentOpen: ctx.server.transactions.openCount },
    metrics: { cursor: { open: { total: Long.fromNumber(ctx.server.cursors.openCount) } } },
    ...(topology.setName === undefined
      ? {}
      : {
          repl: {
            setName: topology.setName,
            isWritablePrimary: true,
            primary: topology.address,
            me: topology.address,
          },
        }),
    ok: 1,
  };
};

function sessionKeys(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((lsid) =>
    lsid && typeof lsid === 'object' && 'id' in lsid ? [sessionKey(lsid.id)] : [],
  );
}

/** Canonical key of an `lsid.id` (a UUID). */
export function sessionKey(id: unknown): string {
  return id instanceof Binary
    ? Buffer.from(id.buffer.subarray(0, id.position)).toString('hex')
    : valueKey(id);
}

/** `endSessions`/`killSessions`: abort the sessions' transactions and close their cursors. */
const endSessions: CommandHandler = (ctx) => {
  for (const key of sessionKeys(ctx.command[ctx.name])) {
    ctx.server.transactions.endSession(key);
    ctx.server.cursors.killSession(key);
    ctx.server.sessions.end(key);
  }
  return { ok: 1 };
};

const whatsmyuri: CommandHandler = (ctx) => ({ you: `connection ${ctx.connectionId}`, ok: 1 });

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

const hostInfo: CommandHandler = (ctx) => ({
  system: { currentTime: new Date(), hostname: ctx.server.topology().address },
  os: { type: process.platform },
  extra: {},
  ok: 1,
});

/** Server/administration commands, keyed by command name. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  endSessions,
  killSessions: endSessions,
  whatsmyuri,
  connectionStatus,
  hostInfo,
};
