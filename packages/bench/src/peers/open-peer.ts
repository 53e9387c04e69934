import type { Peer } from './peer.js';

export type PeerName = 'kysely' | 'drizzle' | 'mikro-orm' | 'typeorm' | 'prisma';
export const PEER_NAMES: readonly PeerName[] = ['kysely', 'drizzle', 'mikro-orm', 'typeorm', 'prisma'];

/** Opens a peer by name; the modules are imported lazily so a missing one fails only its figures. */
export async function openPeer(name: PeerName, max: number): Promise<Peer> {
  switch (name) {
    case 'kysely':
      return (await import('./kysely.js')).openKysely(max);
    case 'drizzle':
      return (await import('./drizzle.js')).openDrizzle(max);
    case 'mikro-orm':
      return (await import('./mikro-orm.js')).openMikroOrm(max);
    case 'typeorm':
      return (await import('./typeorm.js')).openTypeOrm(max);
    case 'prisma':
      return (await import('./prisma.js')).openPrisma(max);
  }
}
