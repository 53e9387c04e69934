import { randomFillSync } from 'node:crypto';

// Random bytes are drawn in blocks: one syscall per 512 ids instead of one per id.
const POOL_SIZE = 512 * 10;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
// Each byte's two hex digits as character codes: an id is spelled by one `String.fromCharCode` call, one flat
// string, where appending 20 pieces made 20 intermediate strings and a flattening on the id's first hash
// (the identity map hashes every id a unit of work persists).
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HIGH = HEX.map((digits) => digits.charCodeAt(0));
const LOW = HEX.map((digits) => digits.charCodeAt(1));
const DASH = 0x2d;

/** The id's bytes while it is spelled out: one buffer reused, since making an id never yields. */
const BYTES = new Uint8Array(16);

let lastMs = -1;
let sequence = 0;

function random(count: number): number {
  if (poolOffset + count > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += count;
  return at;
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
 * Ids made by one process are strictly increasing, even within one millisecond (the counter, seeded
 * randomly each millisecond, carries into the timestamp when it overflows), so they sort by creation
 * order as strings on every backend and keep B-tree inserts at the right edge.
 */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    const at = random(2);
    sequence = ((pool[at]! << 8) | pool[at + 1]!) & 0x7ff; // leave headroom before overflow
  } else {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  }
  const at = random(8);
  const b = BYTES;
  // 48-bit big-endian timestamp; Number math because bit operators truncate to 32 bits.
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | (sequence >>> 8);
  b[7] = sequence & 0xff;
  b[8] = 0x80 | (pool[at]! & 0x3f);
  for (let i = 1; i < 8; i++) b[8 + i] = pool[at + i]!;
  const h = HIGH;
  const l = LOW;
  return String.fromCharCode(
    h[b[0]!]!,
    l[b[0]!]!,
    h[b[1]!]!,
    l[b[1]!]!,
    h[b[2]!]!,
    l[b[2]!]!,
    h[b[3]!]!,
    l[b[3]!]!,
    DASH,
    h[b[4]!]!,
    l[b[4]!]!,
    h[b[5]!]!,
    l[b[5]!]!,
    DASH,
    h[b[6]!]!,
    l[b[6]!]!,
    h[b[7]!]!,
    l[b[7]!]!,
    DASH,
    h[b[8]!]!,
    l[b[8]!]!,
    h[b[9]!]!,
    l[b[9]!]!,
    DASH,
    h[b[10]!]!,
    l[b[10]!]!,
    h[b[11]!]!,
    l[b[11]!]!,
    h[b[12]!]!,
    l[b[12]!]!,
    h[b[13]!]!,
    l[b[13]!]!,
    h[b[14]!]!,
    l[b[14]!]!,
    h[b[15]!]!,
    l[b[15]!]!,
  );
}
