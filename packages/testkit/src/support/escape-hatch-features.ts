import { type Database, UnsupportedFeatureError } from '@berth/core';

/** Which escape hatches a backend serves, found by asking it (never by its name). */
export interface EscapeHatchFeatures {
  /** `db.sql` runs (SQL backends); otherwise it is refused with `UnsupportedFeatureError`. */
  readonly rawSql: boolean;
  /** `db.collection` hands out the driver's collection (document stores). */
  readonly nativeCollection: boolean;
  /** `isolation: 'serializable'` is honoured; otherwise refused with `UnsupportedFeatureError`. */
  readonly serializable: boolean;
}

async function refused(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return false;
  } catch (error) {
    if (error instanceof UnsupportedFeatureError) return true;
    throw error;
  }
}

/** Probes `db` (whose schema exists) for the escape hatches its backend serves. */
export async function probeEscapeHatches(db: Database): Promise<EscapeHatchFeatures> {
  const rawSql = !(await refused(() => db.sql`SELECT 1 AS one`));
  const nativeCollection = !(await refused(() => db.collection(db.entities[0]!, async () => undefined)));
  const serializable =
    db.capabilities.transactions &&
    !(await refused(() => db.transaction(async () => undefined, { isolation: 'serializable' })));
  return { rawSql, nativeCollection, serializable };
}
