import type { Peer, SetBasedPeer } from './peer.js';

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

/**
 * The peers B9 runs on MySQL/MariaDB. Prisma is not among them: `@prisma/adapter-mariadb` needs a second
 * schema and generated client and the `mariadb` driver (see the bench README).
 */
export const MYSQL_PEER_NAMES: readonly PeerName[] = ['kysely', 'drizzle', 'mikro-orm', 'typeorm'];

/** Opens a B9 peer on MySQL/MariaDB by name, lazily as `openPeer`. */
export async function openMysqlPeer(name: PeerName, max: number): Promise<SetBasedPeer> {
  switch (name) {
    case 'kysely':
      return (await import('./mysql/kysely-mysql.js')).openKyselyMysql(max);
    case 'drizzle':
      return (await import('./mysql/drizzle-mysql.js')).openDrizzleMysql(max);
    case 'mikro-orm':
      return (await import('./mysql/mikro-orm-mysql.js')).openMikroOrmMysql(max);
    case 'typeorm':
      return (await import('./mysql/typeorm-mysql.js')).openTypeOrmMysql(max);
    default:
      throw new Error(`${name} has no MySQL/MariaDB peer in the bench`);
  }
}
