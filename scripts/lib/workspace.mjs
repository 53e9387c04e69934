// Helpers shared by the release checks: which packages are published, how they are packed, how big they are.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * Size budgets per published package, in bytes, measured on the packed contents (what `npm install` puts
 * in node_modules/@berth/<name>, drivers excluded: they are the user's own dependencies).
 *
 * - `code` (JavaScript and declarations, what Node and tsc load) is 600 kB. It was 150 kB until core gained
 *   the query surface (projections, aggregates, set-based writes, upserts, raw SQL, transaction options,
 *   query events) and commit-outcome resolution, 300 kB until it gained relations, migrations (with the
 *   `berth` CLI) and read-replica routing, then 400 kB until it gained relation filters, the findById
 *   loader, id strategies, migration down/split/foreign keys, TLS errors and the `@berth/core/otel` entry,
 *   then 500 kB until every public property got a doc comment (the API reference requires them; they ship
 *   in the declarations, where editors show them), the stream include and the many-to-many read: core is
 *   about 525 kB and testkit 373 kB now (the largest part is declarations). 600 kB still breaks on
 *   the usual accident, tsup inlining a dependency it was not told to keep external (a devDependency
 *   imported by mistake, a driver moved out of peerDependencies: pg alone is ~80 kB of JavaScript,
 *   @opentelemetry/api ~100 kB, vitest megabytes).
 * - `unpacked` (everything, source maps included) is 1.5 MB (400 kB, 800 kB, 1 MB, then 1.25 MB before, for
 *   the same reasons; core is about 1.21 MB). The maps carry the TypeScript sources so a stack trace under
 *   `--enable-source-maps` points into berth's sources; they are about 60% of a package.
 */
export const BUDGET = { code: 600_000, unpacked: 1_500_000 };

/** The non-private workspace packages, as pnpm sees them: `{ name, version, dir, manifest }`. */
export function publishablePackages() {
  const listed = JSON.parse(run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: ROOT }));
  return listed
    .filter((p) => p.path !== ROOT && !p.private)
    .map((p) => ({
      name: p.name,
      version: p.version,
      dir: p.path,
      relativeDir: relative(ROOT, p.path),
      manifest: JSON.parse(readFileSync(join(p.path, 'package.json'), 'utf8')),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Builds the given packages (and, through turbo's `^build`, what they depend on) but not the private ones
 * nobody installs. Turbo's cache makes this cheap when nothing changed. Output is shown only on failure.
 */
export function buildPackages(packages) {
  const filters = packages.map((p) => `--filter=${p.name}`);
  console.log(`building ${packages.map((p) => p.name).join(', ')}`);
  try {
    run(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'build', ...filters, '--output-logs=errors-only'], {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    console.error(error.message);
    throw new Error('the build failed');
  }
}

/**
 * Packs a package with pnpm, exactly as `changeset publish` (which runs `pnpm publish`) will: publishConfig
 * overrides applied, `workspace:` ranges replaced. Returns the tarball and what is in it.
 */
export function pack(pkg, destination) {
  mkdirSync(destination, { recursive: true });
  const out = run('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: pkg.dir });
  const { filename } = JSON.parse(out.slice(out.indexOf('{')));
  const extracted = join(destination, `${pkg.name.replace('@', '').replace('/', '-')}-extracted`);
  mkdirSync(extracted, { recursive: true });
  run('tar', ['-xzf', filename, '-C', extracted]);
  const root = join(extracted, 'package');
  const files = listFiles(root).map((f) => ({ path: relative(root, f), size: statSync(f).size }));
  return {
    tarball: filename,
    packedSize: statSync(filename).size,
    root,
    files,
    manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
  };
}

/** Sizes of a set of `{ path, size }` files: all of them, and the code (.js, .d.ts) alone. */
export function sizes(files) {
  let unpacked = 0;
  let code = 0;
  for (const { path, size } of files) {
    unpacked += size;
    if (/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(path)) code += size;
  }
  return { unpacked, code };
}

/** Budget problems of one package, as messages (none when within budget). */
export function overBudget({ unpacked, code }) {
  const problems = [];
  if (code > BUDGET.code) problems.push(`code ${kB(code)} exceeds the ${kB(BUDGET.code)} budget`);
  if (unpacked > BUDGET.unpacked)
    problems.push(`unpacked ${kB(unpacked)} exceeds the ${kB(BUDGET.unpacked)} budget`);
  return problems;
}

export function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** Runs a command and returns its stdout; on failure throws with its output attached. */
export function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw Object.assign(new Error(`${command} ${args.join(' ')} failed${output ? `:\n${output}` : ''}`), {
      output,
    });
  }
}

export const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** A plain text table: header row, then rows, columns padded. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
