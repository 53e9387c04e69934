#!/usr/bin/env node
// Checks every non-private workspace package as it will be published: packs it with pnpm (publishConfig
// applied, workspace: ranges replaced), then checks the packed manifest, runs publint and attw on the tarball,
// and holds it to the size budget. Builds them first (turbo, cached) unless given --no-build.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  BUDGET,
  buildPackages,
  kB,
  overBudget,
  pack,
  publishablePackages,
  ROOT,
  run,
  sizes,
  table,
} from './lib/workspace.mjs';

/** Database drivers and test runners: the user's choice of version, so peerDependencies of an adapter. */
const PEER_ONLY = ['pg', 'mysql2', 'mongodb', '@electric-sql/pglite', 'vitest'];
const SOURCE_CONDITION = '@berth/source';

/**
 * ESM only, by decision: Node 20.19+ (our engines floor) can `require()` an ES module, and every backend
 * driver berth supports works from ESM. `cjs-resolves-to-esm` is the one rule that flags exactly that choice;
 * the rest of attw's checks stay on, node10 resolution (old `moduleResolution: node`) included.
 */
const ATTW_ARGS = ['--ignore-rules', 'cjs-resolves-to-esm', '--no-definitely-typed', '--format', 'ascii'];

// `node scripts/check-packages.mjs @berth/core @berth/sql` checks only those; by default, every one.
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const packages = publishablePackages().filter((p) => only.length === 0 || only.includes(p.name));
if (!args.includes('--no-build')) {
  try {
    buildPackages(packages);
  } catch {
    process.exit(1);
  }
}
const privateNames = new Set(
  JSON.parse(run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: ROOT }))
    .filter((p) => p.private)
    .map((p) => p.name),
);
const work = mkdtempSync(join(tmpdir(), 'berth-check-packages-'));
const results = [];

for (const pkg of packages) {
  const problems = [];
  const result = { pkg, problems, publint: '-', attw: '-', packedSize: 0, unpacked: 0, code: 0 };
  results.push(result);
  console.log(`\n▶ ${pkg.name} (${pkg.relativeDir})`);

  problems.push(...checkSourceManifest(pkg));
  if (!existsSync(join(pkg.dir, 'dist'))) {
    problems.push('no dist/: build it first (pnpm check:packages builds every package)');
    report(result);
    continue;
  }

  let packed;
  try {
    packed = pack(pkg, join(work, pkg.relativeDir.replaceAll('/', '-')));
  } catch (error) {
    problems.push(`pnpm pack failed: ${error.message}`);
    report(result);
    continue;
  }
  result.packedSize = packed.packedSize;
  Object.assign(result, sizes(packed.files));
  problems.push(...checkPackedManifest(packed));
  problems.push(...overBudget(result));

  const lint = await publint({
    pack: { tarball: new Uint8Array(readFileSync(packed.tarball)).buffer },
    level: 'suggestion',
    strict: true,
  });
  result.publint = lint.messages.length === 0 ? 'ok' : `${lint.messages.length} issue(s)`;
  for (const message of lint.messages) {
    problems.push(
      `publint ${message.type} ${message.code}: ${formatMessage(message, lint.pkg, { color: false })}`,
    );
  }

  try {
    run(join(ROOT, 'node_modules/.bin/attw'), [packed.tarball, ...ATTW_ARGS]);
    result.attw = 'ok';
  } catch (error) {
    result.attw = 'problems';
    problems.push(`attw:\n${error.output}`);
  }
  report(result);
}

rmSync(work, { recursive: true, force: true });

console.log(
  `\nPackage checks (budget: code ${kB(BUDGET.code)}, unpacked ${kB(BUDGET.unpacked)} per package)\n`,
);
console.log(
  table(
    ['package', 'version', 'packed', 'unpacked', 'code (js+d.ts)', 'publint', 'attw', 'result'],
    results.map((r) => [
      r.pkg.name,
      r.pkg.version,
      kB(r.packedSize),
      kB(r.unpacked),
      kB(r.code),
      r.publint,
      r.attw,
      r.problems.length === 0 ? 'PASS' : `FAIL (${r.problems.length})`,
    ]),
  ),
);
const failed = results.filter((r) => r.problems.length > 0);
if (failed.length > 0) {
  console.error(`\n${failed.length} package(s) failed: ${failed.map((r) => r.pkg.name).join(', ')}`);
  process.exit(1);
}
console.log(`\nAll ${results.length} publishable packages pass.`);

function report({ problems }) {
  for (const problem of problems) console.log(`  ✗ ${problem.replaceAll('\n', '\n    ')}`);
  if (problems.length === 0) console.log('  ✓ manifest, publint, attw, size');
}

/** The rules of the repository's packaging style, checked on the package.json in the workspace. */
function checkSourceManifest({ manifest: m, relativeDir }) {
  const problems = [];
  if (m.type !== 'module') problems.push('"type" must be "module"');
  if (m.sideEffects !== false) problems.push('"sideEffects" must be false');
  // A bin may live outside dist/ (so a fresh clone links it before any build): then bin/ ships too.
  const binOutsideDist = Object.values(m.bin ?? {}).some((path) => /^(\.\/)?bin\//.test(path));
  const allowedFiles = binOutsideDist ? '["bin","dist"]' : '["dist"]';
  if (JSON.stringify(m.files) !== allowedFiles) problems.push(`"files" must be ${allowedFiles}`);
  if (!m.license) problems.push('"license" is missing');
  if (!m.description) problems.push('"description" is missing');
  if (!m.engines?.node) problems.push('"engines.node" is missing');
  if (!m.repository?.url) problems.push('"repository.url" is missing (npm provenance checks it)');
  if (m.repository?.directory !== relativeDir)
    problems.push(`"repository.directory" must be "${relativeDir}"`);
  if (!m.homepage) problems.push('"homepage" is missing');
  if (!m.bugs) problems.push('"bugs" is missing');
  if (!Array.isArray(m.keywords) || m.keywords.length === 0) problems.push('"keywords" is missing');
  if (m.publishConfig?.access !== 'public') problems.push('"publishConfig.access" must be "public"');
  // NPM_CONFIG_PROVENANCE in the release job does not reliably reach `pnpm publish` through changesets.
  if (m.publishConfig?.provenance !== true) problems.push('"publishConfig.provenance" must be true');

  if (!m.exports || typeof m.exports !== 'object') {
    problems.push('"exports" must be an explicit map');
  } else {
    for (const [subpath, target] of Object.entries(m.exports)) {
      if (typeof target === 'string') continue;
      const keys = Object.keys(target);
      if (!keys.includes('types')) problems.push(`exports["${subpath}"] has no "types" condition`);
      if (keys.at(-1) !== 'default') problems.push(`exports["${subpath}"] must end with "default"`);
    }
    if (JSON.stringify(m.exports).includes(SOURCE_CONDITION)) {
      const expected = JSON.stringify(withoutSourceCondition(m.exports));
      if (JSON.stringify(m.publishConfig?.exports) !== expected) {
        problems.push(
          `"publishConfig.exports" must be "exports" without the "${SOURCE_CONDITION}" condition ` +
            `(the published package does not ship src/): ${expected}`,
        );
      }
    }
  }

  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(m[field] ?? {})) {
      if (field !== 'peerDependencies' && PEER_ONLY.includes(name)) {
        problems.push(`"${name}" is in ${field}: a driver must be a peerDependency (and a devDependency)`);
      }
      if (privateNames.has(name))
        problems.push(`"${name}" in ${field} is a private package: it is never published`);
      if (String(range).startsWith('workspace:') && range !== 'workspace:^') {
        problems.push(`${field}["${name}"] is "${range}": use "workspace:^" so users get one shared copy`);
      }
    }
  }
  for (const name of Object.keys(m.peerDependencies ?? {})) {
    if (!m.devDependencies?.[name] && !m.dependencies?.[name]) {
      problems.push(
        `peerDependency "${name}" is not a devDependency too: the package's tests would not have it`,
      );
    }
  }
  return problems;
}

/** The package.json as packed: what npm users get. */
function checkPackedManifest({ manifest: m, files }) {
  const problems = [];
  const shipped = new Set(files.map((f) => f.path));
  const text = JSON.stringify(m);
  if (text.includes(SOURCE_CONDITION)) {
    problems.push(
      `the packed package.json still has the "${SOURCE_CONDITION}" condition, pointing at src/ it does not ship`,
    );
  }
  if (text.includes('"workspace:')) problems.push('the packed package.json still has a "workspace:" range');
  const targets = [m.main, m.types, m.module, ...exportTargets(m.exports)].filter(Boolean);
  for (const target of new Set(targets)) {
    const path = target.replace(/^\.\//, '');
    if (target.includes('*')) continue;
    if (!shipped.has(path))
      problems.push(`"${target}" is referenced by the packed package.json but not shipped`);
  }
  const bins = new Set(Object.values(m.bin ?? {}).map((path) => path.replace(/^\.\//, '')));
  for (const { path } of files) {
    if (bins.has(path)) continue;
    if (path !== 'package.json' && !/^dist\/|^(README|LICENSE|CHANGELOG)/i.test(path)) {
      problems.push(`"${path}" is shipped but is neither dist/ nor a README, LICENSE or CHANGELOG`);
    }
  }
  return problems;
}

function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

function withoutSourceCondition(value) {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, v]) => [key, withoutSourceCondition(v)]),
  );
}
