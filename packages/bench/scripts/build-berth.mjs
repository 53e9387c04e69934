// Builds the berth packages the bench loads (its workspace dependencies, through turbo and its cache) before
// a run, so the bench measures the built `dist` users install rather than the TypeScript sources under tsx.
// Quiet: one line when it succeeds, turbo's whole output when it fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const started = performance.now();
const result = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter=@berth/bench^...', '--output-logs=errors-only', '--ui=stream'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
if (result.status !== 0) {
  process.stderr.write(output);
  process.stderr.write(`bench: building the berth packages failed (${seconds} s)\n`);
  process.exit(result.status ?? 1);
}
const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
process.stderr.write(
  `bench: berth packages built in ${seconds} s${cached ? ` (${cached[1]} of ${cached[2]} from turbo's cache)` : ''}\n`,
);
