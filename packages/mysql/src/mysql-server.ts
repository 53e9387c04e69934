import { type SqlDialect, createMysqlDialect } from '@berth/sql';

/** Which server family answered: they share the protocol and most SQL, not every variable. */
export type MysqlFlavour = 'mysql' | 'mariadb';

/** What the driver learns from the first connection it opens, and uses for every connection after. */
export interface MysqlServer {
  /** Which server it is, `mysql` or `mariadb`, as `VERSION()` says. */
  readonly flavour: MysqlFlavour;
  /** `SELECT VERSION()`, for example `8.0.36` or `10.11.6-MariaDB-0+deb12u1`. */
  readonly version: string;
  /** The dialect for this flavour: the same SQL, with a NO PAD binary collation of the flavour's naming. */
  readonly dialect: SqlDialect;
}

/** MariaDB reports itself in `VERSION()` (`10.11.6-MariaDB...`); MySQL never does. */
export function flavourOf(version: string): MysqlFlavour {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

/**
 * The binary collation that compares trailing spaces like the other backends do (`'a' <> 'a '`): MariaDB
 * calls it `utf8mb4_nopad_bin`, MySQL 8 `utf8mb4_0900_bin`. The older `utf8mb4_bin` is PAD SPACE on both.
 */
export function defaultCollation(flavour: MysqlFlavour): string {
  return flavour === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
}

/** Builds what the driver needs to know about a server from its version string. */
export function describeServer(version: string, collation?: string): MysqlServer {
  const flavour = flavourOf(version);
  return {
    flavour,
    version,
    // MariaDB (10.5+, and berth needs 10.11) has INSERT ... RETURNING; MySQL 8 does not.
    dialect: createMysqlDialect({
      collation: collation ?? defaultCollation(flavour),
      insertReturning: flavour === 'mariadb',
    }),
  };
}
