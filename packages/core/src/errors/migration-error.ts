import { BerthError } from './berth-error.js';

/** Why a migration command refused to go on; nothing was changed by the refused step. */
export type MigrationErrorReason =
  /** An applied migration's file changed since it was applied (its checksum differs). */
  | 'checksum-mismatch'
  /** An applied migration's file is missing. */
  | 'missing-file'
  /** `generate` met destructive steps and `allowDestructive` was not given. */
  | 'destructive'
  /** The migration lock was not obtained in time (another instance is migrating). */
  | 'lock-timeout'
  /** A migration file cannot be read as one (bad name, a module without `up`). */
  | 'invalid-file'
  /** `down` was asked of a file that declares none (no `-- down` section, no `down` export). */
  | 'irreversible'
  /** `down` met a file that stopped part-way (MySQL/MariaDB): finish it with `up` first. */
  | 'partial'
  /** `baseline` found the live schema differing from the entities: it marks nothing as applied. */
  | 'drift';

/**
 * A migration command refused to go on (`reason` says why; `migration` names the file concerned, when
 * one is). A failing statement inside a migration is the backend's own error (`DatabaseError`...), not this.
 */
export class MigrationError extends BerthError {
  readonly code = 'MIGRATION';
  readonly retryable: boolean;

  constructor(
    /** Why the command stopped; only `'lock-timeout'` is retryable. */
    readonly reason: MigrationErrorReason,
    message: string,
    /**
     * The migration file concerned (its id, the file name without extension); absent when the refusal is about no one
     * file (a lock timeout, drift).
     */
    readonly migration?: string,
  ) {
    super(message);
    this.retryable = reason === 'lock-timeout';
  }
}
