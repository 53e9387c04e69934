import { parseArgs } from 'node:util';
import { blackhole } from './scenarios/blackhole.js';
import { handshakeAndLatency } from './scenarios/handshake-latency.js';
import { hostileRequests } from './scenarios/hostile-requests.js';
import { idleKilled } from './scenarios/idle-killed.js';
import { killedMidUnitOfWork } from './scenarios/killed-mid-uow.js';
import { poolExhausted } from './scenarios/pool-exhausted.js';
import { restartUnderLoad } from './scenarios/restart-under-load.js';
import type { Figure, Scenario } from './scenarios/scenario.js';
import { sigtermUnderLoad } from './scenarios/sigterm.js';
import { stateLeftBehind } from './scenarios/state-left-behind.js';
import { BACKENDS, type BackendName, reachable, serverControl } from './server-control.js';

const SCENARIOS: readonly Scenario[] = [
  poolExhausted,
  idleKilled,
  killedMidUnitOfWork,
  restartUnderLoad,
  blackhole,
  handshakeAndLatency,
  stateLeftBehind,
  sigtermUnderLoad,
  hostileRequests,
];

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function line(figure: Figure): string {
  const verdict = figure.held ? 'HELD' : 'NOT HELD';
  return `${verdict.padEnd(9)} ${figure.scenario.padEnd(40)} ${figure.backend.padEnd(9)} ${figure.figure}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', multiple: true },
      only: { type: 'string', multiple: true },
      list: { type: 'boolean' },
    },
  });
  if (values.list) {
    for (const s of SCENARIOS) console.log(`${slug(s.name).padEnd(40)} ${s.backends.join(', ')}`);
    return 0;
  }
  const backends = (values.backend?.flatMap((b) => b.split(',')) ?? BACKENDS) as BackendName[];
  for (const b of backends) {
    if (!BACKENDS.includes(b)) throw new Error(`unknown backend ${b}: use ${BACKENDS.join(', ')}`);
  }
  const only = values.only?.flatMap((o) => o.split(','));
  const scenarios = SCENARIOS.filter((s) => !only || only.some((o) => slug(s.name).includes(o)));
  if (scenarios.length === 0) throw new Error(`no scenario matches ${only?.join(', ')}`);

  const started = performance.now();
  const figures: Figure[] = [];
  const record = (figure: Figure) => {
    figures.push(figure);
    console.log(line(figure));
  };
  const runId = Date.now().toString(36);
  for (const backend of backends) {
    const applicable = scenarios.filter((s) => s.backends.includes(backend));
    if (applicable.length === 0) continue;
    if (!(await reachable(backend))) {
      const figure = 'the database server is not reachable';
      if (process.env.CI === 'true') {
        for (const s of applicable) record({ scenario: s.name, backend, figure, held: false });
      } else {
        console.log(`SKIPPED   ${backend}: ${figure} (a failure under CI=true)`);
      }
      continue;
    }
    const control = serverControl(backend);
    try {
      await control.setup();
      for (const scenario of applicable) {
        const tag = `${runId}-${slug(scenario.name).slice(0, 12)}`;
        try {
          record(await scenario.run({ backend, control, tag }));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          record({
            scenario: scenario.name,
            backend,
            figure: `error: ${message.split('\n').slice(0, 3).join(' | ')}`,
            held: false,
          });
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const s of applicable)
        record({ scenario: s.name, backend, figure: `setup failed: ${message}`, held: false });
    } finally {
      await control.teardown().catch(() => undefined);
    }
  }
  const failed = figures.filter((f) => !f.held);
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`\n${figures.length - failed.length}/${figures.length} figures held in ${seconds} s`);
  return failed.length === 0 && figures.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
