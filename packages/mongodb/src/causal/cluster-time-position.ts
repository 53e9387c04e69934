import { Binary, type ClusterTime, Long, Timestamp } from 'mongodb';

/**
 * A MongoDB causal position, as berth keeps it in causal sessions and session tokens: the `operationTime`
 * a reply reported (what a later read's `readConcern.afterClusterTime` names) and the signed `$clusterTime`
 * gossiped with it, which another client must present too: a member refuses an `afterClusterTime` past its
 * own cluster time, and learns a later one only from signed gossip (where the deployment signs it).
 *
 * Text form: `t.i` of the operation time, then `.t.i.keyId.hash` of the cluster time (hash in base64url),
 * e.g. `1764675600.12.1764675600.12.0.AAAAAAAAAAAAAAAAAAAAAAAAAAA`.
 */
export interface ClusterTimePosition {
  readonly operationTime: Timestamp;
  readonly clusterTime: ClusterTime | undefined;
}

const FORM = /^(\d{1,10})\.(\d{1,10})(?:\.(\d{1,10})\.(\d{1,10})\.(\d{1,19})\.([A-Za-z0-9_-]{0,88}))?$/;
const UINT32_MAX = 0xffff_ffff;

function timestamp(t: string, i: string): Timestamp | undefined {
  const high = Number(t);
  const low = Number(i);
  if (high > UINT32_MAX || low > UINT32_MAX) return undefined;
  return new Timestamp({ t: high, i: low });
}

const text = (ts: Timestamp): string => `${ts.t}.${ts.i}`;

/** The position's text form (see `ClusterTimePosition`). */
export function formatPosition(position: ClusterTimePosition): string {
  const { operationTime, clusterTime } = position;
  if (!clusterTime) return text(operationTime);
  const signature = clusterTime.signature;
  const hash = signature
    ? Buffer.from(signature.hash.buffer.subarray(0, signature.hash.position)).toString('base64url')
    : '';
  const keyId = signature ? Long.fromValue(signature.keyId).toString() : '0';
  return `${text(operationTime)}.${text(clusterTime.clusterTime)}.${keyId}.${hash}`;
}

/** Reads a position's text form; `undefined` when malformed (it may come from a client's token). */
export function readPosition(position: string): ClusterTimePosition | undefined {
  const match = typeof position === 'string' ? FORM.exec(position) : null;
  if (!match) return undefined;
  const operationTime = timestamp(match[1]!, match[2]!);
  if (!operationTime) return undefined;
  if (match[3] === undefined) return { operationTime, clusterTime: undefined };
  const time = timestamp(match[3], match[4]!);
  const keyId = Long.fromString(match[5]!);
  if (!time || keyId.isNegative() || keyId.toString() !== match[5]!.replace(/^0+(?=\d)/, ''))
    return undefined;
  const hash = Buffer.from(match[6]!, 'base64url');
  return {
    operationTime,
    clusterTime: { clusterTime: time, signature: { hash: new Binary(hash), keyId } },
  };
}

/** Orders two positions by their operation times. */
export function comparePositions(a: string, b: string): number {
  const left = readPosition(a);
  const right = readPosition(b);
  if (!left || !right) throw new Error('a MongoDB causal position was malformed');
  return left.operationTime.compare(right.operationTime);
}

/** The later operation time of the two and the later cluster time (each with its own signature). */
export function mergePositions(a: string, b: string): string {
  const left = readPosition(a);
  const right = readPosition(b);
  if (!left || !right) throw new Error('a MongoDB causal position was malformed');
  const operationTime = left.operationTime.greaterThan(right.operationTime)
    ? left.operationTime
    : right.operationTime;
  const clusterTime =
    left.clusterTime === undefined
      ? right.clusterTime
      : right.clusterTime === undefined ||
          left.clusterTime.clusterTime.greaterThan(right.clusterTime.clusterTime)
        ? left.clusterTime
        : right.clusterTime;
  return formatPosition({ operationTime, clusterTime });
}
