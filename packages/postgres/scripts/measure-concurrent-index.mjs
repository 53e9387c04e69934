#!/usr/bin/env node
// Measures `berth migrate up` of a `CREATE INDEX CONCURRENTLY` on a 1M-row table while a write/read load
// runs, against a plain `CREATE INDEX` on the same table for contrast (docs/migrations.md, issue 15).
// Needs a built @berth/core and @berth/postgres and a PostgreSQL on PG_URL (default the local test
// server). Makes and drops its own database (berth_cic<BERTH_TEST_DB_SUFFIX>). Prints one JSON report.
//
//   node packages/postgres/scripts/measure-concurrent-index.mjs
import { loadavg } from 'node:os';
import { connect, migrateUp, migrationChecksum } from '@berth/core';
import pg from 'pg';

const SERVER = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `berth_cic${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const CLIENTS = 4;
const BASELINE_MS = 8_000;
const url = SERVER.replace(/\/[^/]*$/, `/${DATABASE}`);

async function admin(sql) {
  const client = new pg.Client({ connectionString: SERVER });
  client.on('error', (error) => console.error(`admin connection: ${error.message}`));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Each client alternately updates a random row and reads one by id; every latency is recorded. */
function startLoad() {
  const samples = [];
  let stop = false;
  const clients = Array.from({ length: CLIENTS }, async () => {
    const client = new pg.Client({ connectionString: url });
    // A terminated session (another engineer's test killing backends) ends the run with its error below.
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (let i = 0; !stop; i++) {
        const id = 1 + Math.floor(Math.random() * ROWS);
        const started = performance.now();
        if (i % 2 === 0) await client.query('UPDATE items SET v = v + 1 WHERE id = $1', [id]);
        else await client.query('SELECT v FROM items WHERE id = $1', [id]);
        samples.push({ at: started, ms: performance.now() - started });
      }
    } finally {
      await client.end();
    }
  });
  return {
    samples,
    async stop() {
      stop = true;
      await Promise.all(clients);
    },
  };
}

function summarize(samples, from, to) {
  const ms = samples
    .filter((s) => s.at >= from && s.at < to)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
  const round = (x) => Math.round(x * 10) / 10;
  return {
    queries: ms.length,
    perSecond: round((ms.length / (to - from)) * 1000),
    p50: round(q(0.5)),
    p99: round(q(0.99)),
    max: round(ms.at(-1) ?? 0),
  };
}

/**
 * Applies one file and times it. The progress callback (what the CLI prints) is timed too: it must fire when
 * the long statement starts, not once it is over.
 */
async function applyTimed(db, id, sql, history) {
  const source = { id, checksum: migrationChecksum(sql), text: sql };
  const started = performance.now();
  const progress = [];
  await migrateUp(db, [source], {
    historyTable: history,
    progress: (event) =>
      progress.push({
        atMs: Math.round(performance.now() - started),
        statement: event.statement.slice(0, 60),
      }),
  });
  return { ms: performance.now() - started, progress };
}

await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DATABASE}`);
const report = {
  rows: ROWS,
  clients: CLIENTS,
  loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
};
try {
  const setup = new pg.Client({ connectionString: url });
  setup.on('error', (error) => console.error(`setup connection: ${error.message}`));
  await setup.connect();
  await setup.query('CREATE TABLE items (id bigint PRIMARY KEY, k integer NOT NULL, v bigint NOT NULL)');
  // In chunks of 100,000 rows: short statements.
  for (let from = 1; from <= ROWS; from += 100_000) {
    await setup.query(
      `INSERT INTO items SELECT g, (g::bigint * 7919) % 100003, 0 FROM generate_series(${from}, ${Math.min(ROWS, from + 99_999)}) AS g`,
    );
  }
  await setup.query('VACUUM ANALYZE items');
  await setup.end();

  const db = await connect(url, { entities: [], pool: { max: 1 } });
  try {
    const load = startLoad();
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const t0 = performance.now();
    const concurrent = await applyTimed(
      db,
      '20260101T000000_concurrent',
      '-- berth:no-transaction\nCREATE INDEX CONCURRENTLY items_k_idx ON items (k);\n',
      'berth_cic_a',
    );
    const t1 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const t2 = performance.now();
    const plain = await applyTimed(
      db,
      '20260101T000001_plain',
      'CREATE INDEX items_kv_idx ON items (k, v);\n',
      'berth_cic_b',
    );
    const t3 = performance.now();
    await load.stop();
    report.loadavgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
    report.before = summarize(load.samples, t0 - BASELINE_MS, t0);
    report.concurrentIndex = {
      upMs: Math.round(concurrent.ms),
      progress: concurrent.progress,
      during: summarize(load.samples, t0, t1),
    };
    report.plainIndex = {
      upMs: Math.round(plain.ms),
      progress: plain.progress,
      during: summarize(load.samples, t2, t3),
    };
  } finally {
    await db.close();
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
}
console.log(JSON.stringify(report, null, 2));
