import { log } from '../../harness/log.js';
import type { RelationPeer } from './order-graph.js';

/** The peers B11 loads its graph with. */
const WIRED = ['kysely', 'drizzle', 'mikro-orm', 'typeorm', 'prisma'] as const;

async function open(name: (typeof WIRED)[number], max: number): Promise<RelationPeer> {
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
 * Opens B11's peers on a pool of `max`. One that cannot be opened is reported in `failed` with the
 * reason, so its figure shows as not run rather than vanishing.
 */
export async function openRelationPeers(
  max: number,
): Promise<{ peers: RelationPeer[]; failed: Map<string, string> }> {
  const peers: RelationPeer[] = [];
  const failed = new Map<string, string>();
  for (const name of WIRED) {
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
