import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Callgrind's client requests (see `native/callgrind-marks.c`); no-ops outside valgrind. */
export interface CallgrindMarks {
  /** Zeroes the instruction counts: a measured block starts. */
  zero(): void;
  /** Writes the counts since the last zero or dump to a dump file labelled `label`, and zeroes them. */
  dump(label: string): void;
  /** How many valgrinds the process runs under (0: natively). */
  running(): number;
}

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'callgrind-marks.c');

/**
 * Builds `native/callgrind-marks.c` (once per content, into the temporary directory: it needs a C
 * compiler and valgrind's and Node's headers, `/usr/include/valgrind`, `/usr/include/node`) and loads it.
 * Call it before starting valgrind: the build then runs natively.
 */
export function buildCallgrindMarks(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(process.version).digest('hex').slice(0, 12);
  const out = join(tmpdir(), `berth-callgrind-marks-${hash}.node`);
  if (existsSync(out)) return out;
  const include = process.env.NODE_INCLUDE_DIR ?? '/usr/include/node';
  const built = spawnSync('cc', ['-O2', '-shared', '-fPIC', `-I${include}`, '-o', out, SOURCE], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building ${SOURCE} failed:\n${built.stderr}`);
  return out;
}

/** Loads the addon `buildCallgrindMarks` built at `path`. */
export function loadCallgrindMarks(path: string): CallgrindMarks {
  return createRequire(import.meta.url)(path) as CallgrindMarks;
}

/** One dump of a callgrind run: its label and the instructions (Ir) counted in it, every thread included. */
export interface CallgrindDump {
  readonly label: string;
  readonly instructions: number;
}

/** Reads a callgrind dump file's label (`CALLGRIND_DUMP_STATS_AT`) and total instruction count. */
export function readCallgrindDump(path: string): CallgrindDump {
  const text = readFileSync(path, 'utf8');
  const label = /^desc: Trigger: Client Request: (.*)$/m.exec(text)?.[1] ?? '';
  const total = /^(?:summary|totals):\s+(\d+)/m.exec(text)?.[1];
  if (total === undefined) throw new Error(`${path}: no instruction total`);
  return { label, instructions: Number(total) };
}

/**
 * Runs `script --child ...args` under callgrind with `--separate-threads=yes`, its dumps written to `dir`
 * (`callgrind.out.<dump>-<thread>`), and throws with the run's stderr tail if it fails.
 */
export function runChildUnderCallgrind(dir: string, script: string, args: readonly string[]): void {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
      '--dump-line=no',
      '--separate-threads=yes',
      process.execPath,
      '--expose-gc',
      '--import',
      'tsx',
      script,
      '--child',
      ...args,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', env: process.env },
  );
  if (run.status !== 0) throw new Error(`the run under callgrind failed:\n${run.stderr.slice(-4000)}`);
}

/**
 * The main thread's dumps of a `runChildUnderCallgrind` run, in dump order, as instructions per operation
 * (`ops` a block) by side, the first word of each dump's label; dumps of other labels, and those `keep` refuses
 * (all are kept by default), are left out. A dump a
 * client request triggers has held only the thread that asked (01, the main thread: JavaScript and the event
 * loop) in every run so far; V8's compiler and GC helper threads, whose work comes in bursts, are not counted.
 */
export function mainThreadCountsBySide<S extends string>(
  dir: string,
  sides: readonly S[],
  ops: number,
  keep: (label: string) => boolean = () => true,
): Record<S, number[]> {
  const per = Object.fromEntries(sides.map((side) => [side, [] as number[]])) as Record<S, number[]>;
  const dumps = readdirSync(dir)
    .map((file) => /^callgrind\.out\.(\d+)-01$/.exec(file))
    .filter((match) => match !== null)
    .sort((x, y) => Number(x[1]) - Number(y[1]));
  for (const match of dumps) {
    const dump = readCallgrindDump(join(dir, match[0]));
    const side = dump.label.split(' ')[0] as S;
    if (sides.includes(side) && keep(dump.label)) per[side].push(dump.instructions / ops);
  }
  return per;
}
