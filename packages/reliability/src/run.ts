import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIOS, slug } from './scenarios/index.js';
import type { Figure } from './scenarios/scenario.js';
import { BACKENDS, type BackendName, reachable, serverControl } from './server-control.js';

function line(verdict: string, scenario: string, backend: string, text: string): string {
  return `${verdict.padEnd(9)} ${scenario.padEnd(40)} ${backend.padEnd(9)} ${text}`;
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
    for (const s of SCENARIOS) {
      console.log(`${slug(s.name).padEnd(40)} ${s.backends.join(', ')}`);
      for (const [backend, why] of Object.entries(s.notApplicable)) {
        console.log(`${''.padEnd(40)} not ${backend}: ${why}`);
      }
    }
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
  let notApplicable = 0;
  const record = (figure: Figure) => {
    figures.push(figure);
    console.log(line(figure.held ? 'HELD' : 'NOT HELD', figure.scenario, figure.backend, figure.figure));
  };
  const runId = Date.now().toString(36);
  for (const backend of backends) {
    // A scenario that does not apply to a backend says why, in the table, rather than vanish from it.
    for (const s of scenarios.filter((s) => !s.backends.includes(backend))) {
      notApplicable++;
      console.log(
        line('N/A', s.name, backend, s.notApplicable[backend] ?? 'does not apply (no reason given)'),
      );
    }
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
        const began = performance.now();
        // How long it took, and the machine's 1-minute load average as it ended: the machine may be shared,
        // and a timing figure that fails only under heavy load says so.
        const took = () =>
          ` [${Math.round((performance.now() - began) / 1000)} s, load ${loadavg()[0]!.toFixed(2)}]`;
        try {
          const figure = await scenario.run({ backend, control, tag });
          record({ ...figure, figure: figure.figure + took() });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          record({
            scenario: scenario.name,
            backend,
            figure: `error: ${message.split('\n').slice(0, 3).join(' | ')}${took()}`,
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
  console.log(
    `\n${figures.length - failed.length}/${figures.length} figures held` +
      `${notApplicable ? `, ${notApplicable} not applicable` : ''} in ${seconds} s`,
  );
  for (const f of failed) console.log(`NOT HELD: ${f.scenario} on ${f.backend}`);
  return failed.length === 0 && figures.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
