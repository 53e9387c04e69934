import { randomFillSync } from 'node:crypto';

// Random bytes are drawn in blocks: one syscall per 512 ids instead of one per id.
const POOL_SIZE = 512 * 10;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[b[i]!];
  }
  return out;
}
