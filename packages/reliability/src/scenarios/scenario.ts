import type { ApiConfig } from '../api-process.js';
import type { BackendName, ServerControl } from '../server-control.js';

/** One scenario's result on one backend: the measured figure, and whether it held. */
export interface Figure {
  readonly scenario: string;
  readonly backend: BackendName;
  readonly figure: string;
  readonly held: boolean;
}

export interface ScenarioContext {
  readonly backend: BackendName;
  readonly control: ServerControl;
  /** Unique per run and scenario: a prefix for e-mails and departments. */
  readonly tag: string;
}

export interface Scenario {
  readonly name: string;
  /** The backends it applies to. */
  readonly backends: readonly BackendName[];
  /** Why it does not apply to each other backend: printed in the table instead of a figure. */
  readonly notApplicable: Partial<Record<BackendName, string>>;
  run(context: ScenarioContext): Promise<Figure>;
}

/** Small pool and short timeouts, so faults show within seconds (the contract's bounds are relative). */
export const CONFIG = {
  poolMax: 4,
  acquireTimeoutMs: 300,
  statementTimeoutMs: 1_000,
} as const satisfies Omit<ApiConfig, 'databaseUrl'>;

export const SERVER_BACKENDS: readonly BackendName[] = ['postgres', 'mysql', 'mongodb'];
export const ALL_BACKENDS: readonly BackendName[] = ['postgres', 'mysql', 'mongodb', 'pglite'];

/** Why a scenario about the network or the server side does not apply to PGlite. */
export const PGLITE_IN_PROCESS = 'PGlite runs inside the app';

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
