import { blackhole } from './blackhole.js';
import { commitReplyLost } from './commit-reply-lost.js';
import { handshakeAndLatency } from './handshake-latency.js';
import { hostileRequests } from './hostile-requests.js';
import { idleKilled } from './idle-killed.js';
import { killedMidUnitOfWork } from './killed-mid-uow.js';
import { poolExhausted } from './pool-exhausted.js';
import { restartUnderLoad } from './restart-under-load.js';
import type { Scenario } from './scenario.js';
import { sigtermUnderLoad } from './sigterm.js';
import { silentIdleConnections } from './silent-idle-connections.js';
import { stateLeftBehind } from './state-left-behind.js';

/** Every scenario, in the order the runner runs them on each backend. */
export const SCENARIOS: readonly Scenario[] = [
  poolExhausted,
  idleKilled,
  killedMidUnitOfWork,
  restartUnderLoad,
  blackhole,
  silentIdleConnections,
  handshakeAndLatency,
  stateLeftBehind,
  sigtermUnderLoad,
  hostileRequests,
  commitReplyLost,
];

/** A scenario's name as `--only` matches it: lower case, words joined by dashes. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
