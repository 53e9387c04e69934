/**
 * Reads a run's `latest.json` and says why its figures were "within noise", from what the report records
 * (each figure's rounds, band, self ratio and target): `tsx src/report/noise-audit.ts [results/latest.json]`.
 *
 * - the band's binding term per within-noise figure: the rounds' standard error (few rounds), the self bias,
 *   a self ratio taken against another contender than the group's baseline (runs before 2026-12-03), or a
 *   figure within 2 % of its target;
 * - how many of them the recorded scatter would judge with 4, 8, 13 or 20 rounds;
 * - the replay of the self-ratio fix: figures against a contender other than the group's raw baseline,
 *   re-judged with A′ ÷ A of the group (its median from the group's figures against raw, its scatter bounded
 *   by their bands: a conservative band), and how many verdicts change.
 *
 * An analysis of one recorded run: the band parts it infers are bounds, not the values the run computed.
 */
import { readFileSync } from 'node:fs';
import { BAND_FLOOR, BAND_Z, medianStandardError, stdev, verdictOf } from '../harness/judgement.js';
import { median } from '../harness/stats.js';
import type { FigureRecord, TargetSpec } from '../harness/types.js';

const file = process.argv[2] ?? new URL('../../results/latest.json', import.meta.url).pathname;
const run = JSON.parse(readFileSync(file, 'utf8')) as { figures: FigureRecord[] };

function parseTarget(text: string): TargetSpec {
  const bound = /^(>=|<=) (\S+)$/.exec(text);
  if (bound) return { op: bound[1] as '>=' | '<=', value: Number(bound[2]) };
  const [lo, hi] = text.split('..').map(Number);
  return { op: 'within', value: lo!, max: hi! };
}

function distance(ratio: number, t: TargetSpec): number {
  return Math.min(...[t.value, ...(t.max === undefined ? [] : [t.max])].map((v) => Math.abs(ratio - v)));
}

/** The group's raw baseline: the first raw contender that some figure of the group is measured against. */
function groupBaseline(figures: FigureRecord[]): string | undefined {
  return figures.find((f) => f.baseline.startsWith('raw') && !f.baseline.includes('+prepared'))?.baseline;
}

const groups = new Map<string, FigureRecord[]>();
for (const f of run.figures) {
  const key = `${f.backend} ${f.workload}`;
  groups.set(key, [...(groups.get(key) ?? []), f]);
}

const classes = new Map<string, number>();
const roundsNeeded: number[] = [];
for (const f of run.figures) {
  if (f.verdict !== 'within noise' || f.rounds.length < 2 || f.unit === 'µs/call') continue;
  const n = f.rounds.length;
  const t = parseTarget(f.target);
  const bandRel = f.band / Math.abs(f.ratio);
  const bias = Number.isFinite(f.selfRatio) ? Math.abs(f.selfRatio - 1) : 0;
  const center = median(f.rounds);
  const seFigure = BAND_Z * medianStandardError(stdev(f.rounds.map((r) => r / center)), n);
  const dRel = distance(f.ratio, t) / Math.abs(f.ratio);
  const base = groupBaseline(groups.get(`${f.backend} ${f.workload}`) ?? []);
  const biasBinds = bias > BAND_FLOOR && bias >= bandRel - 1e-3;
  const wrongSelf = base !== undefined && f.baseline !== base && f.baseline !== 'pool 1';
  const cls =
    wrongSelf && biasBinds
      ? 'self ratio against another contender than the baseline'
      : dRel < 0.02
        ? 'within 2 % of the target'
        : biasBinds
          ? 'the self bias is the band'
          : 'standard error of few rounds';
  classes.set(cls, (classes.get(cls) ?? 0) + 1);
  // Rounds for the standard-error part to fall below the distance (the bias and floor do not shrink).
  const fixed = wrongSelf && biasBinds ? BAND_FLOOR : Math.max(BAND_FLOOR, bias);
  const se = Math.max(seFigure, biasBinds ? 0 : bandRel);
  roundsNeeded.push(dRel <= fixed ? Number.POSITIVE_INFINITY : Math.max(n, Math.ceil(n * (se / dRel) ** 2)));
}
console.log('within noise, by what sets the band:');
for (const [cls, count] of classes) console.log(`  ${count}  ${cls}`);
for (const k of [4, 8, 13, 20])
  console.log(
    `  judged with ${k} rounds at the recorded scatter: ${roundsNeeded.filter((x) => x <= k).length}`,
  );

const changes = new Map<string, number>();
for (const figures of groups.values()) {
  const base = groupBaseline(figures);
  if (!base) continue;
  for (const f of figures) {
    if (f.verdict === 'info' || f.baseline === base || f.rounds.length < 2) continue;
    const against = figures.filter(
      (g) => g.baseline === base && g.metric === f.metric && g.rounds.length > 1,
    );
    if (against.length === 0) continue;
    const n = f.rounds.length;
    const bias = Math.abs(against[0]!.selfRatio - 1);
    // The largest A′ ÷ A scatter each band against raw allows (a band is at least its standard-error part).
    const selfSd = Math.min(
      ...against.map(
        (g) =>
          ((g.band / Math.abs(g.ratio)) * Math.sqrt(g.rounds.length)) / (BAND_Z * Math.sqrt(Math.PI / 2)),
      ),
    );
    const center = median(f.rounds);
    const sd = Math.max(selfSd, stdev(f.rounds.map((r) => r / center)));
    const band = Math.max(BAND_FLOOR, bias, BAND_Z * medianStandardError(sd, n));
    const verdict = verdictOf(f.ratio, parseTarget(f.target), Math.abs(f.ratio) * band);
    const key = `${f.verdict} -> ${verdict}`;
    changes.set(key, (changes.get(key) ?? 0) + 1);
  }
}
console.log('figures against another contender, re-judged with A′ ÷ A of their group:');
for (const [key, count] of changes) console.log(`  ${count}  ${key}`);
