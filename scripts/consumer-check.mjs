#!/usr/bin/env node
// What a user gets from npm: packs every publishable package with pnpm, installs the tarballs with plain npm
// into a fresh project outside the workspace, then
//   (a) type-checks a strict NodeNext TypeScript program against them, compiles it and runs it with node on
//       PGlite and (when @berth/postgres exists) PostgreSQL: entity, ensureSchema, insert, filter + cursor,
//       unit of work, transactions;
//   (b) checks that connect('mysql://...') without @berth/mysql fails with one line naming the package;
//   (b2) checks that a second, nested copy of core is warned about and its errors still recognised;
//   (c) reports each package's packed and installed size and holds it to the budget (scripts/lib/workspace.mjs).
// Builds them first (turbo, cached) unless given --no-build. Under CI=true an unreachable PostgreSQL fails.
//
//   node scripts/consumer-check.mjs [--skip=@berth/x,...] [--keep] [--no-build]
//   PG_TEST_URL   PostgreSQL server URL without a database (default postgres://postgres@127.0.0.1:5432)
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUDGET,
  buildPackages,
  kB,
  listFiles,
  overBudget,
  pack,
  publishablePackages,
  ROOT,
  run,
  sizes,
  table,
} from './lib/workspace.mjs';

/** The adapter left out on purpose, to prove the error a user sees when the one they need is missing. */
const ABSENT = '@berth/mysql';
const CONSUMER_DATABASE = 'berth_consumer';
const SERVER_URL = (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const CI = process.env.CI === 'true';
const args = process.argv.slice(2);
const skip = new Set(args.filter((a) => a.startsWith('--skip=')).flatMap((a) => a.slice(7).split(',')));
const keep = args.includes('--keep');

const steps = [];
const step = (name, status, detail = '') => {
  steps.push([name, status, detail]);
  console.log(
    `${status === 'FAIL' ? '✗' : status === 'SKIP' ? '!' : '✓'} ${name}${detail ? `: ${detail}` : ''}`,
  );
};

const work = mkdtempSync(join(tmpdir(), 'berth-consumer-'));
const project = join(work, 'app');
let exitCode = 0;
let postgresDatabaseCreated = false;
let pg;

try {
  // 1. Pack what would be published.
  const packages = publishablePackages().filter((p) => !skip.has(p.name));
  if (!args.includes('--no-build')) buildPackages(packages);
  const packed = new Map();
  for (const pkg of packages) {
    if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} is not built`);
    packed.set(pkg.name, { pkg, ...pack(pkg, join(work, 'tarballs')) });
  }
  step('pack', 'ok', [...packed.keys()].join(', '));

  // 2. A fresh npm project outside the workspace, with every package but the absent adapter, and the
  //    drivers the installed adapters declare as peers, at the newest version their ranges allow.
  const installed = [...packed.values()].filter((p) => p.pkg.name !== ABSENT);
  const peers = new Map();
  for (const p of installed) {
    for (const [name, range] of Object.entries(p.manifest.peerDependencies ?? {})) {
      // Optional peers (@opentelemetry/api) stay out: berth must work without them (checked below).
      if (name.startsWith('@berth/') || p.manifest.peerDependenciesMeta?.[name]?.optional) continue;
      peers.set(name, peers.has(name) && peers.get(name) !== range ? name : `${name}@${range}`);
    }
  }
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'berth-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const specs = [
    ...installed.map((p) => p.tarball),
    ...peers.values(),
    'typescript@~5.9.0',
    '@types/node@^20.19.0',
  ];
  console.log(`npm install (in ${project}):\n  ${specs.map((s) => s.replace(work, '…')).join('\n  ')}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: project });
  step('npm install', 'ok', `${installed.length} berth packages + ${[...peers.values()].join(', ')}`);

  // One copy of each berth package, and it is the tarball's: adapters must share the application's core.
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
  const copies = Object.entries(lock.packages).filter(([path]) => /node_modules\/@berth\//.test(path));
  const nested = copies.filter(([path]) => path.split('node_modules/').length > 2);
  const fromRegistry = copies.filter(([, meta]) => meta.resolved && !meta.resolved.startsWith('file:'));
  if (nested.length > 0 || fromRegistry.length > 0) {
    throw new Error(
      `berth packages must install once, from the tarballs: ${[...nested, ...fromRegistry].map(([p, m]) => `${p} (${m.resolved})`).join(', ')}`,
    );
  }
  if (existsSync(join(project, 'node_modules', ...ABSENT.split('/'))))
    throw new Error(`${ABSENT} got installed`);
  step('one copy of each package', 'ok', `${copies.length} @berth packages, all from the tarballs`);

  // 3a. Type-check, compile, run.
  const has = (name) => installed.some((p) => p.pkg.name === name);
  mkdirSync(join(project, 'src'));
  cpSync(join(ROOT, 'scripts/consumer/tsconfig.json'), join(project, 'tsconfig.json'));
  cpSync(join(ROOT, 'scripts/consumer/src/main.ts'), join(project, 'src/main.ts'));
  if (has('@berth/testkit'))
    cpSync(join(ROOT, 'scripts/consumer/src/testkit.ts'), join(project, 'src/testkit.ts'));
  const tsc = join(project, 'node_modules/.bin/tsc');
  run(tsc, ['-p', '.', '--noEmit'], { cwd: project });
  step('tsc --noEmit (strict, NodeNext, skipLibCheck off)', 'ok');
  run(tsc, ['-p', '.'], { cwd: project });
  step('tsc (emit)', 'ok');

  const urls = [];
  if (has('@berth/pglite')) urls.push('pglite://memory');
  else step('pglite', 'SKIP', '@berth/pglite is not a workspace package');
  if (has('@berth/postgres')) {
    pg = createRequire(join(project, 'package.json'))('pg');
    const reason = await recreateDatabase();
    if (reason === undefined) {
      postgresDatabaseCreated = true;
      urls.push(`${SERVER_URL}/${CONSUMER_DATABASE}`);
    } else if (CI) {
      throw new Error(`PostgreSQL at ${SERVER_URL} is unreachable (${reason}); CI=true requires it`);
    } else {
      step('postgres', 'SKIP', `PostgreSQL at ${SERVER_URL} is unreachable (${reason}); NOT tested`);
    }
  } else {
    step('postgres', 'SKIP', '@berth/postgres is not a workspace package yet');
  }

  const output = run('node', ['dist/main.js', ...urls], {
    cwd: project,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  for (const line of output.split('\n')) {
    if (line.startsWith('RESULT ')) {
      const [, backend, ...rest] = line.split(' ');
      step(`run on ${backend}`, 'ok', rest.join(' '));
    } else if (line.startsWith('MISSING ')) {
      step(`connect('mysql://…') without ${ABSENT}`, 'ok', `one line: ${line.slice(8)}`);
    }
  }

  // Adapters take core as a peer: npm installed one copy (checked above). Where a second copy exists anyway,
  // berth warns once and its errors are still recognised across the copies.
  if (has('@berth/pglite')) {
    const core = join(project, 'node_modules/@berth/core');
    const nestedCore = join(project, 'node_modules/@berth/sql/node_modules/@berth/core');
    cpSync(core, nestedCore, { recursive: true });
    try {
      cpSync(join(ROOT, 'scripts/consumer/second-copy.mjs'), join(project, 'second-copy.mjs'));
      const out = run('node', ['second-copy.mjs'], {
        cwd: project,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      if (!out.includes('SECOND-COPY ok')) throw new Error(`second copy of core: ${out}`);
      step('a second copy of core', 'ok', 'warned once; instanceof and BerthError.is hold across copies');
    } finally {
      rmSync(nestedCore, { recursive: true, force: true });
    }
  }

  // An adapter whose driver (a peer dependency) is not installed: a typed error naming the driver, for an
  // adapter that imports it up front (mongodb) and one that loads it when its pool opens (pg).
  cpSync(join(ROOT, 'scripts/consumer/missing-driver.mjs'), join(project, 'missing-driver.mjs'));
  for (const [pkg, url, driver] of [
    ['@berth/mongodb', 'mongodb://127.0.0.1:27017/berth_consumer', 'mongodb'],
    ['@berth/postgres', 'postgres://postgres@127.0.0.1:5432/berth_consumer', 'pg'],
  ]) {
    if (!has(pkg)) continue;
    const dir = join(project, 'node_modules', driver);
    const aside = join(project, 'node_modules', `.aside-${driver}`);
    renameSync(dir, aside);
    try {
      const out = run('node', ['missing-driver.mjs', url, driver], {
        cwd: project,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      if (!out.includes('MISSING-DRIVER ok')) throw new Error(`${pkg} without ${driver}: ${out}`);
      step(`connect() with ${pkg} but no ${driver}`, 'ok', out.trim().slice('MISSING-DRIVER ok '.length));
    } finally {
      renameSync(aside, dir);
    }
  }

  // CommonJS users: Node 20.19+ require()s an ES module (no top-level await in berth).
  const cjs = run(
    'node',
    ['--no-warnings', '-e', "const c = require('@berth/core'); process.stdout.write(typeof c.connect)"],
    { cwd: project },
  );
  if (cjs !== 'function') throw new Error(`require('@berth/core') gave connect of type ${cjs}`);
  step("require('@berth/core') from CommonJS", 'ok');

  // @opentelemetry/api is an optional peer of core: the runs above had none installed, and only the
  // `@berth/core/otel` entry needs it, failing to load with the module's name.
  if (existsSync(join(project, 'node_modules/@opentelemetry/api')))
    throw new Error('@opentelemetry/api got installed: it must stay an optional peer');
  const otel = run(
    'node',
    [
      '--input-type=module',
      '-e',
      "import('@berth/core/otel').then(() => process.stdout.write('loaded'), (e) => process.stdout.write(e.code + ' ' + e.message))",
    ],
    { cwd: project },
  );
  if (!otel.startsWith('ERR_MODULE_NOT_FOUND') || !otel.includes('@opentelemetry/api'))
    throw new Error(`@berth/core/otel without @opentelemetry/api: ${otel}`);
  step(
    'without the optional @opentelemetry/api',
    'ok',
    'berth ran above; @berth/core/otel alone refuses to load',
  );

  // 3c. Sizes.
  const rows = [];
  const overs = [];
  for (const p of packed.values()) {
    const dir = join(project, 'node_modules', ...p.pkg.name.split('/'));
    const isInstalled = existsSync(dir);
    const measured = isInstalled
      ? sizes(listFiles(dir).map((f) => ({ path: f.slice(dir.length + 1), size: statSync(f).size })))
      : sizes(p.files);
    const du = isInstalled ? `${run('du', ['-sk', dir]).split('\t')[0]} kB` : 'not installed';
    const problems = overBudget(measured);
    if (problems.length > 0) overs.push(`${p.pkg.name}: ${problems.join(', ')}`);
    rows.push([
      p.pkg.name,
      p.manifest.version,
      kB(p.packedSize),
      kB(measured.unpacked),
      kB(measured.code),
      du,
      problems.length ? 'OVER' : 'ok',
    ]);
  }
  console.log(
    `\nSizes (budget per package: code ${kB(BUDGET.code)}, unpacked ${kB(BUDGET.unpacked)}; drivers excluded)\n`,
  );
  console.log(
    table(['package', 'version', 'packed', 'installed', 'code (js+d.ts)', 'du -sk', 'budget'], rows),
  );
  console.log(
    `\ndrivers installed beside them: ${[...peers.keys()].map((d) => `${d} ${installedSize(d)}`).join(', ')}`,
  );
  if (overs.length > 0) throw new Error(`over the size budget: ${overs.join('; ')}`);
  step('size budget', 'ok');
} catch (error) {
  exitCode = 1;
  step('consumer check', 'FAIL', error.message);
} finally {
  if (postgresDatabaseCreated)
    await dropDatabase().catch((e) => console.warn(`could not drop ${CONSUMER_DATABASE}: ${e.message}`));
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

console.log('\nConsumer check\n');
console.log(
  table(
    ['step', 'result', 'detail'],
    steps.map(([n, s, d]) => [
      n,
      s,
      s !== 'FAIL' && d.length > 90 ? `${d.slice(0, 87)}...` : d.split('\n')[0],
    ]),
  ),
);
console.log(exitCode === 0 ? '\nconsumer check: PASS' : '\nconsumer check: FAIL');
process.exit(exitCode);

function installedSize(name) {
  const dir = join(project, 'node_modules', ...name.split('/'));
  return existsSync(dir) ? `${run('du', ['-sk', dir]).split('\t')[0]} kB` : '?';
}

async function admin(sql) {
  const client = new pg.Client({
    connectionString: `${SERVER_URL}/postgres`,
    connectionTimeoutMillis: 3_000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Recreates the consumer database; returns why it could not, or undefined. */
async function recreateDatabase() {
  try {
    await dropDatabase();
    await admin(`CREATE DATABASE ${CONSUMER_DATABASE}`);
    return undefined;
  } catch (error) {
    return error.message || error.code || String(error);
  }
}

function dropDatabase() {
  return admin(`DROP DATABASE IF EXISTS ${CONSUMER_DATABASE} WITH (FORCE)`);
}
