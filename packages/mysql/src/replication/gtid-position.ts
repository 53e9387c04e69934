/**
 * MariaDB GTID positions, as the server prints them (`@@gtid_binlog_pos`, `@@gtid_slave_pos`,
 * `@@last_gtid`): a comma-separated list of `domain-server-sequence`, at most one per replication domain.
 * Sequence numbers grow within a domain whatever server wrote them, so a replica has applied a position
 * when, in every domain of it, the replica's sequence number is at least as high; that is what
 * `MASTER_GTID_WAIT` compares too, and the server id plays no part. Domains are independent, so two
 * positions can be unordered (each past the other in some domain): `compareGtidPositions` answers
 * "covers or not", and `mergeGtidPositions` gives the least position past both.
 */

/** One GTID: `0-10-42`. The server id is kept, to print the position back as the server would. */
interface Gtid {
  readonly domain: bigint;
  readonly server: bigint;
  readonly sequence: bigint;
}

const GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
const UINT32_MAX = 0xffff_ffffn;
const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
/** More domains than any real topology has; bounds what a client's session token can make berth parse. */
const MAX_DOMAINS = 64;

function parseGtids(text: string): Map<bigint, Gtid> | undefined {
  const gtids = new Map<bigint, Gtid>();
  const trimmed = text.trim();
  if (trimmed === '') return gtids;
  const parts = trimmed.split(',');
  if (parts.length > MAX_DOMAINS) return undefined;
  for (const part of parts) {
    const match = GTID.exec(part.trim());
    if (!match) return undefined;
    const gtid = { domain: BigInt(match[1]!), server: BigInt(match[2]!), sequence: BigInt(match[3]!) };
    if (gtid.domain > UINT32_MAX || gtid.server > UINT32_MAX || gtid.sequence > UINT64_MAX) return undefined;
    // One GTID per domain, as the server prints positions; two would make "how far" ambiguous.
    if (gtids.has(gtid.domain)) return undefined;
    gtids.set(gtid.domain, gtid);
  }
  return gtids;
}

function gtidsOf(position: string): Map<bigint, Gtid> {
  const gtids = parseGtids(position);
  if (gtids === undefined) throw new TypeError(`not a GTID position: ${position}`);
  return gtids;
}

function format(gtids: Iterable<Gtid>): string {
  return [...gtids]
    .sort((a, b) => (a.domain < b.domain ? -1 : 1))
    .map((g) => `${g.domain}-${g.server}-${g.sequence}`)
    .join(',');
}

/** The position in its canonical form (domains in order, no leading zeros); `undefined` when malformed. */
export function parseGtidPosition(text: string): string | undefined {
  const gtids = parseGtids(text);
  return gtids === undefined ? undefined : format(gtids.values());
}

/**
 * 0 when both name the same sequence number in the same domains; positive when `a` covers `b` (in every
 * domain of `b`, `a` is at least as far) and differs; negative when it does not cover it.
 */
export function compareGtidPositions(a: string, b: string): number {
  const ga = gtidsOf(a);
  const gb = gtidsOf(b);
  let equal = ga.size === gb.size;
  for (const [domain, need] of gb) {
    const have = ga.get(domain);
    if (have === undefined || have.sequence < need.sequence) return -1;
    if (have.sequence !== need.sequence) equal = false;
  }
  return equal ? 0 : 1;
}

/** The least position covering both: in each domain, the GTID with the higher sequence number. */
export function mergeGtidPositions(a: string, b: string): string {
  const merged = gtidsOf(a);
  for (const [domain, gtid] of gtidsOf(b)) {
    const mine = merged.get(domain);
    if (mine === undefined || gtid.sequence > mine.sequence) merged.set(domain, gtid);
  }
  return format(merged.values());
}
