#!/usr/bin/env bash
# Proves that the pending changesets turn into a release: in a throwaway clone of the committed HEAD, runs
# `pnpm install --frozen-lockfile` and `pnpm changeset version`, then checks that every package changesets
# planned to bump got its new version and a CHANGELOG entry, that no private package was versioned, and
# that the lockfile still matches (the release PR must install). Nothing is written to this checkout.
#
#   bash scripts/check-changeset-version.sh [repository]   # default: the repository holding this script
set -euo pipefail

source_repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d "${TMPDIR:-/tmp}/berth-changeset-version-XXXXXX")
trap 'rm -rf "$work"' EXIT
clone="$work/clone"

echo "changeset-version: cloning $(git -C "$source_repo" rev-parse --short HEAD) of $source_repo"
git -c advice.detachedHead=false clone --quiet --no-hardlinks "$source_repo" "$clone"
cd "$clone"
if [ "$(git rev-parse HEAD)" != "$(git -C "$source_repo" rev-parse HEAD)" ]; then
  echo "changeset-version: FAIL: the clone is not at the source's HEAD"
  exit 1
fi

# `changeset status` diffs against the base branch; a clone of a detached checkout (CI) has no local one.
base=$(node -p "require('./.changeset/config.json').baseBranch ?? 'main'")
if ! git show-ref --verify --quiet "refs/heads/$base"; then
  git branch --quiet "$base" "origin/$base" 2>/dev/null || git branch --quiet "$base" HEAD
fi

pending=$(find .changeset -maxdepth 1 -name '*.md' ! -name 'README.md' | wc -l)
if [ "$pending" -eq 0 ]; then
  echo "changeset-version: no pending changesets, nothing to version"
  exit 0
fi

echo "changeset-version: pnpm install --frozen-lockfile"
if ! pnpm install --frozen-lockfile --prefer-offline >"$work/install.log" 2>&1; then
  tail -n 25 "$work/install.log"
  echo "changeset-version: FAIL: the committed HEAD does not install (pnpm install --frozen-lockfile)"
  exit 1
fi

pnpm --silent changeset status --output="$work/plan.json" >/dev/null
pnpm --silent changeset version 2>&1 | sed 's/^/  /'
echo
git diff --stat
git ls-files --others --exclude-standard | sed 's/^/ (new) /'
echo

# A release commit whose lockfile is stale breaks every install after it.
if ! pnpm install --frozen-lockfile --offline --reporter=silent >/dev/null 2>&1; then
  echo "changeset-version: FAIL: after 'changeset version' the lockfile no longer matches (pnpm install --frozen-lockfile)"
  exit 1
fi

node --input-type=module - "$work/plan.json" <<'EOF'
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const workspace = JSON.parse(execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { encoding: 'utf8' }));
const byName = new Map(workspace.map((p) => [p.name, p]));
const problems = [];
const rows = [];

for (const release of plan.releases.filter((r) => r.type !== 'none')) {
  const pkg = byName.get(release.name);
  const manifest = JSON.parse(readFileSync(join(pkg.path, 'package.json'), 'utf8'));
  const changelog = join(pkg.path, 'CHANGELOG.md');
  const entry = existsSync(changelog) && readFileSync(changelog, 'utf8').includes(`## ${release.newVersion}`);
  if (manifest.private) problems.push(`${release.name} is private but was planned for a release`);
  if (manifest.version !== release.newVersion)
    problems.push(`${release.name}: version is ${manifest.version}, expected ${release.newVersion}`);
  if (!entry) problems.push(`${release.name}: CHANGELOG.md has no "## ${release.newVersion}" entry`);
  rows.push([release.name, release.type, `${release.oldVersion} -> ${manifest.version}`, entry ? 'yes' : 'NO']);
}
for (const pkg of workspace) {
  if (!pkg.private || pkg.path === process.cwd()) continue;
  const changed = execFileSync('git', ['status', '--porcelain', '--', pkg.path], { encoding: 'utf8' }).trim();
  if (changed) problems.push(`private package ${pkg.name} was changed by 'changeset version':\n${changed}`);
}
const left = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '.changeset'], { encoding: 'utf8' });
const consumed = execFileSync('git', ['status', '--porcelain', '--', '.changeset'], { encoding: 'utf8' });
if (!/^ D /m.test(consumed)) problems.push('no changeset file was consumed');
if (left.trim()) problems.push(`unexpected new files in .changeset: ${left.trim()}`);

const widths = [0, 1, 2, 3].map((i) => Math.max(...[['package', 'bump', 'version', 'changelog'], ...rows].map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(['package', 'bump', 'version', 'changelog']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
if (problems.length > 0) {
  console.error(`\nchangeset-version: FAIL\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`\nchangeset-version: OK, ${rows.length} package(s) versioned with CHANGELOG entries; private packages untouched`);
EOF
