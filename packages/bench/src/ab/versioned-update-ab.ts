import { Database } from '@berth/core';
import { PostgresDriver } from '@berth/postgres';
import pg from 'pg';
import { Employee, employeeData, locations, pgUrl } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { readThenWrite } from '../harness/read-then-write.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';

log(describeBerthOrigin());

/**
 * A-B-B-A comparison of `update(id, patch, { expectedVersion })` on PostgreSQL, in one process:
 * A = the read-then-write path (SELECT, then a conditional UPDATE: what every backend did before), forced
 * by reporting `returning: false` for the same driver; B = the one-statement `UPDATE ... RETURNING` path.
 * Both run the same core code, on the same server, table and rows, alternating block by block so that
 * drift on a shared machine falls on both alike. Per block: wall time and the process's CPU time
 * (user + system, `process.cpuUsage`) per update, serially on one connection and with 8 callers on a
 * pool of 8. Usage: `pnpm --filter @berth/bench bench:update-ab [rounds] [opsPerBlock]`.
 */
const DATABASE = `berth_bench_update_ab${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const ROWS = 800;
const CALLERS = 8;

interface Block {
  wallUsPerOp: number;
  cpuUsPerOp: number;
  opsPerSecond: number;
}

async function admin(sql: string): Promise<void> {
  const l = locations().postgres;
  const client = new pg.Client({
    host: l.host,
    port: l.port,
    user: l.user,
    password: l.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 6);
  const ops = Number(process.argv[3] ?? 2_000);
  await admin(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  const open = (returning: boolean, max: number) => {
    const driver = new PostgresDriver({ url: pgUrl(DATABASE), max });
    return Database.open(returning ? driver : readThenWrite(driver), {
      entities: [Employee],
      pool: { acquireTimeoutMs: 30_000, leakDetectionThresholdMs: 0 },
    });
  };
  const sides = {
    A: { serial: await open(false, 1), concurrent: await open(false, CALLERS) },
    B: { serial: await open(true, 1), concurrent: await open(true, CALLERS) },
  };
  try {
    await sides.B.serial.ensureSchema();
    const seeded = await sides.B.serial
      .repository(Employee)
      .insertMany(Array.from({ length: ROWS }, (_, i) => employeeData(i, 'ab')));
    const versions = new Map(seeded.map((row) => [row.id, row.version]));
    const ids = seeded.map((row) => row.id);
    let salary = 40_000;

    const block = async (db: Database, callers: number): Promise<Block> => {
      const repo = db.repository(Employee);
      const perCaller = Math.floor(ops / callers);
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: callers }, async (_, caller) => {
          // Each caller owns a slice of the rows, so no update waits on another's lock.
          const mine = ids.filter((_, i) => i % callers === caller);
          for (let k = 0; k < perCaller; k++) {
            const id = mine[k % mine.length]!;
            const row = await repo.update(id, { salary: ++salary }, { expectedVersion: versions.get(id)! });
            versions.set(id, row.version);
          }
        }),
      );
      const wallUs = Number(process.hrtime.bigint() - start) / 1_000;
      const used = process.cpuUsage(cpu);
      const done = perCaller * callers;
      return {
        wallUsPerOp: wallUs / done,
        cpuUsPerOp: (used.user + used.system) / done,
        opsPerSecond: done / (wallUs / 1e6),
      };
    };

    const results: Record<'A' | 'B', Record<'serial' | 'concurrent', Block[]>> = {
      A: { serial: [], concurrent: [] },
      B: { serial: [], concurrent: [] },
    };
    // Warm-up of both sides (JIT, prepared plans, connections), not recorded.
    for (const side of ['A', 'B'] as const) {
      await block(sides[side].serial, 1);
      await block(sides[side].concurrent, CALLERS);
    }
    for (let round = 0; round < rounds; round++) {
      for (const side of ['A', 'B', 'B', 'A'] as const) {
        results[side].serial.push(await block(sides[side].serial, 1));
        results[side].concurrent.push(await block(sides[side].concurrent, CALLERS));
      }
      log(`round ${round + 1}/${rounds} done`);
    }
    const summary = (blocks: Block[]) => ({
      wallUsPerOp: Math.round(median(blocks.map((b) => b.wallUsPerOp))),
      cpuUsPerOp: Math.round(median(blocks.map((b) => b.cpuUsPerOp))),
      opsPerSecond: Math.round(median(blocks.map((b) => b.opsPerSecond))),
      blocks: blocks.length,
    });
    const report = {
      opsPerBlock: ops,
      rounds,
      A_readThenWrite: { serial: summary(results.A.serial), concurrent8: summary(results.A.concurrent) },
      B_returning: { serial: summary(results.B.serial), concurrent8: summary(results.B.concurrent) },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const side of Object.values(sides)) {
      await side.serial.close();
      await side.concurrent.close();
    }
    await admin(`DROP DATABASE IF EXISTS ${DATABASE}`);
  }
}

await main();
