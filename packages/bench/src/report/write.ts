import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment, RunInfo, Summary } from './run-info.js';
import type { FigureRecord } from '../harness/types.js';
import { renderMarkdown } from './markdown.js';
import { renderScalingSvg } from './svg.js';

export type { Environment, RunInfo, Summary } from './run-info.js';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function packageVersion(name: string): Promise<string> {
  try {
    // Read through node_modules: packages whose `exports` hide package.json cannot be resolved to it.
    const file = join(PACKAGE_DIR, 'node_modules', ...name.split('/'), 'package.json');
    return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

async function serverVersions(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    const { default: pg } = await import('pg');
    const { pgUrl } = await import('../context.js');
    const client = new pg.Client({ connectionString: pgUrl('postgres') });
    await client.connect();
    out.postgres = (await client.query('SHOW server_version')).rows[0].server_version;
    await client.end();
  } catch {
    out.postgres = 'unreachable';
  }
  try {
    const { default: mysql } = await import('mysql2/promise');
    const { locations } = await import('../context.js');
    const conn = await mysql.createConnection(locations().mysql);
    const [rows] = await conn.query('SELECT VERSION() AS v');
    out.mysql = (rows as { v: string }[])[0]!.v;
    await conn.end();
  } catch {
    out.mysql = 'unreachable';
  }
  return out;
}

export async function environment(): Promise<Environment> {
  const names = [
    '@berth/core',
    '@berth/postgres',
    '@berth/mysql',
    'pg',
    'mysql2',
    'kysely',
    'drizzle-orm',
    '@mikro-orm/core',
    'typeorm',
    'prisma',
    '@prisma/client',
    'autocannon',
    'fastify',
  ];
  const versions: Record<string, string> = {};
  for (const n of names) versions[n] = await packageVersion(n);
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty:
      git([
        'status',
        '--porcelain',
        '--',
        '.',
        '../core',
        '../postgres',
        '../mysql',
        '../sql',
        '../../apps/api',
      ]) !== '',
    machine: {
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${process.platform} ${release()}`,
    },
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    versions,
    servers: await serverVersions(),
  };
}

/** Writes results/latest.json, results/latest.md and results/pool-scaling.svg; returns their paths. */
export async function writeReports(run: RunInfo): Promise<string[]> {
  const dir = run.outDir ?? join(PACKAGE_DIR, 'results');
  await mkdir(dir, { recursive: true });
  const env = await environment();
  const summary = summarize(run.records);
  const json = {
    kind: run.quick ? 'quick' : 'full',
    seconds: Math.round(run.seconds),
    workloads: run.only,
    backends: run.backends,
    ...env,
    summary,
    figures: run.records.map((r) => ({
      ...r,
      ratio: finite(r.ratio),
      spread: finite(r.spread),
      selfRatio: finite(r.selfRatio),
    })),
    timings: run.timings ?? [],
    scaling: run.scaling,
  };
  const files = [join(dir, 'latest.json'), join(dir, 'latest.md'), join(dir, 'pool-scaling.svg')];
  await writeFile(files[0]!, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(files[1]!, renderMarkdown(run, env, summary));
  await writeFile(files[2]!, renderScalingSvg(run.scaling));
  return files;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Counts the verdicts of a run's figures. */
export function summarize(records: readonly FigureRecord[]): Summary {
  const count = (v: FigureRecord['verdict']) => records.filter((r) => r.verdict === v).length;
  const passed = count('pass');
  const failed = count('fail');
  const noisy = count('within noise');
  const judged = passed + failed;
  const targeted = judged + noisy;
  return {
    targeted,
    judged,
    passed,
    failed,
    noisy,
    judgedShare: targeted === 0 ? 0 : Math.round((judged / targeted) * 100),
  };
}
