import { BerthError } from './berth-error.js';

/** The backend-specific features berth refuses where the backend cannot serve them. */
export type UnsupportedFeature =
  | 'raw-sql'
  | 'native-collection'
  | 'transaction-isolation'
  | 'transaction-read-only'
  | 'read-replicas'
  | 'migrations'
  | 'generated-ids';

/**
 * The backend has no equivalent of the feature asked for: raw SQL on MongoDB, a driver collection on a
 * SQL backend, an isolation level a backend cannot give. Nothing was sent to the database.
 */
export class UnsupportedFeatureError extends BerthError {
  readonly code = 'UNSUPPORTED_FEATURE';
  readonly retryable = false;

  constructor(
    /** The feature refused; the backend's `capabilities` tell the same in advance. */
    readonly feature: UnsupportedFeature,
    message: string,
  ) {
    super(message);
  }
}
