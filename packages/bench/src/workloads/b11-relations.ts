import { openBerth, rawPgPool } from '../context.js';
import { runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import { openRelationPeers, RELATION_PEER_GROUPS } from '../peers/relations/open-relation-peers.js';
import type { RelationPeer } from '../peers/relations/order-graph.js';
import { berthOrders, rawOrders, seedOrders } from './b11-model.js';
import { type Bench, closeAll, settings } from './common.js';
import { unavailable } from './peers-group.js';

const POOL = 8;

/**
 * B11: orders with their 10 lines and each line's product, for 1 and for 100 orders, berth `include`
 * against the three queries and the stitching a person writes by hand on `pg` (the same three round trips
 * berth sends). PostgreSQL only. Then, unless `--no-peers`, the same graph through the peers' own relation
 * APIs (`src/peers/relations`: Drizzle's relational queries with `with`, MikroORM's `populate`, Kysely's
 * select-ins, TypeORM's `find` with `relations`, Prisma's `include`).
 */
export async function b11(bench: Bench): Promise<void> {
  if (bench.backend !== 'postgres') return;
  log('B11 postgres: orders with lines and products');
  const db = await openBerth('postgres', { max: POOL });
  const pool = rawPgPool(POOL);
  try {
    const ids = await seedOrders(db);
    const berthRead = (batch: string[]) => berthOrders(db, batch);
    const rawRead = (batch: string[]) => rawOrders(pool, batch);
    for (const size of [1, 100]) {
      const batchAt = (i: number) => {
        const start = (i * 7919) % (ids.length - size + 1);
        return ids.slice(start, start + size);
      };
      const sample = batchAt(3);
      const result = await runGroup({
        backend: 'postgres',
        workload: `${size} order${size > 1 ? 's' : ''} with 10 lines and their products, 8 callers, pool ${POOL}`,
        baseline: {
          name: 'raw pg, 3 queries',
          op: (i) => rawRead(batchAt(i)),
          sample: () => rawRead(sample),
        },
        candidates: [
          { name: 'berth include', op: (i) => berthRead(batchAt(i)), sample: () => berthRead(sample) },
        ],
        settings: settings(bench, 'micro', 8),
        figures: [
          {
            id: 'B11',
            candidate: 'berth include',
            baseline: 'raw pg, 3 queries',
            metric: 'throughput',
            target: { op: '>=', value: 0.9 },
          },
        ],
      });
      bench.records.push(...result.records);
      if (bench.peers)
        for (const names of RELATION_PEER_GROUPS)
          await peerGroup(bench, names, size, batchAt, sample, berthRead, rawRead);
    }
  } finally {
    await closeAll(db);
    await pool.end().catch(() => undefined);
  }
}

/** berth against each peer loading the same graph (target: ahead of every one), and each peer against raw. */
async function peerGroup(
  bench: Bench,
  names: (typeof RELATION_PEER_GROUPS)[number],
  size: number,
  batchAt: (i: number) => string[],
  sample: string[],
  berthRead: (batch: string[]) => Promise<unknown>,
  rawRead: (batch: string[]) => Promise<unknown>,
): Promise<void> {
  const { peers, failed } = await openRelationPeers(names, POOL);
  const workload = `${size} order${size > 1 ? 's' : ''} with lines and products vs ${names.join(', ')}, 8 callers, pool ${POOL}`;
  const op = (p: RelationPeer) => ({
    name: p.name,
    op: (i: number) => p.ordersWithLines(batchAt(i)),
    sample: () => p.ordersWithLines(sample),
  });
  try {
    const result = await runGroup({
      backend: 'postgres',
      workload,
      baseline: { name: 'raw pg, 3 queries', op: (i) => rawRead(batchAt(i)), sample: () => rawRead(sample) },
      candidates: [
        { name: 'berth', op: (i) => berthRead(batchAt(i)), sample: () => berthRead(sample) },
        ...peers.map(op),
      ],
      settings: settings(bench, 'micro', 8),
      figures: peers.flatMap((p) => [
        {
          id: 'B11',
          candidate: 'berth',
          baseline: p.name,
          metric: 'throughput' as const,
          target: { op: '>=' as const, value: 1 },
        },
        { id: 'B11', candidate: p.name, baseline: 'raw pg, 3 queries', metric: 'throughput' as const },
      ]),
    });
    bench.records.push(...result.records, ...unavailable('B11', 'postgres', workload, failed));
  } finally {
    await Promise.all(peers.map((p) => p.close().catch(() => undefined)));
  }
}
