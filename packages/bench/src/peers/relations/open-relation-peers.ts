import { log } from '../../harness/log.js';
import type { RelationPeer } from './order-graph.js';

/**
 * The peers B11 loads its graph with, in groups opened one after the other: each peer holds up to `max`
 * connections while its group runs, beside berth's and the raw pool's, and all five at once (56 at pool 8)
 * crowd a PostgreSQL shared by concurrent runs past its 100 connections.
 */
export const RELATION_PEER_GROUPS = [
  ['kysely', 'drizzle', 'mikro-orm'],
  ['typeorm', 'prisma'],
] as const;
type PeerName = (typeof RELATION_PEER_GROUPS)[number][number];

async function open(name: PeerName, max: number): Promise<RelationPeer> {
  switch (name) {
    case 'kysely':
      return (await import('./kysely-relations.js')).openKyselyRelations(max);
    case 'drizzle':
      return (await import('./drizzle-relations.js')).openDrizzleRelations(max);
    case 'mikro-orm':
      return (await import('./mikro-orm-relations.js')).openMikroOrmRelations(max);
    case 'typeorm':
      return (await import('./typeorm-relations.js')).openTypeOrmRelations(max);
    case 'prisma':
      return (await import('./prisma-relations.js')).openPrismaRelations(max);
  }
}

/**
 * Opens the named B11 peers (one of `RELATION_PEER_GROUPS`) on a pool of `max` each. One that cannot be
 * opened is reported in `failed` with the reason, so its figure shows as not run rather than vanishing.
 */
export async function openRelationPeers(
  names: readonly PeerName[],
  max: number,
): Promise<{ peers: RelationPeer[]; failed: Map<string, string> }> {
  const peers: RelationPeer[] = [];
  const failed = new Map<string, string>();
  for (const name of names) {
    try {
      peers.push(await open(name, max));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      failed.set(name, message);
      log(`  peer ${name} unavailable: ${message}`);
    }
  }
  return { peers, failed };
}
