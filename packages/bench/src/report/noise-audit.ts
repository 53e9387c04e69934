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
 *   by their bands: a conservative band), and how many verdicts change;
 * - the t quantile (`bandMultiplier`) against the recorded statistic (2 × 1.25 · sd / √n): both replayed on the
 *   same inputs, the verdicts that change, the judged share, the rounds the honest band needs, and whether the
 *   two halves of a figure's rounds (4 or more) agree under each.
 *
 * An analysis of one recorded run: the band parts it infers are bounds, not the values the run computed.
 */
import { readFileSync } from 'node:fs';
import { BAND_FLOOR, bandMultiplier, medianStandardError, stdev, verdictOf } from '../harness/judgement.js';
import { type Projectable, wantsAnotherRound } from '../harness/extra-rounds.js';
import { parseTarget as describedTarget } from '../harness/figures.js';
import { median } from '../harness/stats.js';
import type { FigureRecord, TargetSpec, Verdict } from '../harness/types.js';

/** The statistic of runs before the t quantile: 2 standard errors of a median, 1.25 · sd / √n at every n. */
const RECORDED_Z = 2;
const MEDIAN_FACTOR = Math.sqrt(Math.PI / 2);

/** The standard-error part of a band as runs before the t quantile computed it. */
function recordedSe(sd: number, n: number): number {
  return (RECORDED_Z * MEDIAN_FACTOR * sd) / Math.sqrt(n);
}

/** The standard-error part of a band as `noiseBand` computes it now (95 % t quantile, n − 1 df). */
function honestSe(sd: number, n: number): number {
  return bandMultiplier(n) * medianStandardError(sd, n);
}

const file = process.argv[2] ?? new URL('../../results/latest.json', import.meta.url).pathname;
const run = JSON.parse(readFileSync(file, 'utf8')) as { figures: FigureRecord[] };

function parseTarget(text: string): TargetSpec {
  const target = describedTarget(text);
  if (!target) throw new Error(`a targeted figure without a target: ${text}`);
  return target;
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
  const seFigure = recordedSe(stdev(f.rounds.map((r) => r / center)), n);
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
        (g) => ((g.band / Math.abs(g.ratio)) * Math.sqrt(g.rounds.length)) / (RECORDED_Z * MEDIAN_FACTOR),
      ),
    );
    const center = median(f.rounds);
    const sd = Math.max(selfSd, stdev(f.rounds.map((r) => r / center)));
    const band = Math.max(BAND_FLOOR, bias, recordedSe(sd, n));
    const verdict = verdictOf(f.ratio, parseTarget(f.target), Math.abs(f.ratio) * band);
    const key = `${f.verdict} -> ${verdict}`;
    changes.set(key, (changes.get(key) ?? 0) + 1);
  }
}
console.log('figures against another contender, re-judged with A′ ÷ A of their group:');
for (const [key, count] of changes) console.log(`  ${count}  ${key}`);

// ---- The t quantile against the recorded statistic (issue 16, part 2) ----
//
// Each targeted figure's band rebuilt from what the run recorded, once with the recorded statistic and once
// with `noiseBand`'s t quantile, on the same inputs: the bias |A′ ÷ A − 1| (of the group's figure against raw
// for a figure against another contender, as above); the scatter, the larger of the figure's own relative
// one and A′ ÷ A's, which the run did not record: its upper bound from the recorded band (a band is at least
// its standard-error part) gives the widest band either statistic could have had, its lower bound (0) the
// narrowest. Verdicts below are from the upper bound; "unsure" counts those the lower bound would change.

interface Inputs {
  /** The figure's target. */
  readonly target: TargetSpec;
  /** |A′ ÷ A − 1| of the group. */
  readonly bias: number;
  /** A′ ÷ A's relative standard deviation, its upper bound. */
  readonly selfSd: number;
}

function inputsOf(f: FigureRecord, figures: FigureRecord[]): Inputs {
  const target = parseTarget(f.target);
  const base = groupBaseline(figures);
  const wrongSelf = base !== undefined && f.baseline !== base && f.baseline !== 'pool 1';
  const against = wrongSelf
    ? figures.filter((g) => g.baseline === base && g.metric === f.metric && g.rounds.length > 1)
    : [];
  const upper = (g: FigureRecord) =>
    ((g.band / Math.abs(g.ratio)) * Math.sqrt(g.rounds.length)) / (RECORDED_Z * MEDIAN_FACTOR);
  if (against.length === 0) return { target, bias: Math.abs(f.selfRatio - 1), selfSd: upper(f) };
  return { target, bias: Math.abs(against[0]!.selfRatio - 1), selfSd: Math.min(...against.map(upper)) };
}

type Se = (sd: number, n: number) => number;

/** The relative band of `rounds` under a statistic, the self scatter as given. */
function bandOf(rounds: readonly number[], inp: Inputs, se: Se, selfSd = inp.selfSd): number {
  const center = median(rounds);
  const sd = Math.max(selfSd, stdev(rounds.map((r) => r / center)));
  return Math.max(BAND_FLOOR, inp.bias, se(sd, rounds.length));
}

/** The verdict of `rounds` (a figure's or a part of them) under a statistic, the self scatter as given. */
function judge(rounds: readonly number[], inp: Inputs, se: Se, selfSd = inp.selfSd): string {
  const center = median(rounds);
  return verdictOf(center, inp.target, Math.abs(center) * bandOf(rounds, inp, se, selfSd));
}

const judgeable = run.figures.filter(
  (f) =>
    f.verdict !== 'info' && f.rounds.length >= 2 && f.unit !== 'µs/call' && Number.isFinite(f.ratio ?? NaN),
);
const transitions = new Map<string, number>();
const becameNoise: string[] = [];
/** Per group, its figures as the t quantile would record them (for the extra-round rule). */
const honestRecords = new Map<string, Projectable[]>();
/** Recorded verdicts the replayed recorded statistic changes: the self-ratio fix, or a bound too loose. */
const replayed: string[] = [];
let unsure = 0;
const tally = { old: { judged: 0 }, honest: { judged: 0 } };
const byRoundsHonest: number[] = [];
for (const f of judgeable) {
  const figures = groups.get(`${f.backend} ${f.workload}`) ?? [];
  const inp = inputsOf(f, figures);
  const before = judge(f.rounds, inp, recordedSe);
  if (before !== f.verdict)
    replayed.push(`${f.backend} ${f.id} ${f.candidate} ÷ ${f.baseline}: ${f.verdict} -> ${before}`);
  const after = judge(f.rounds, inp, honestSe);
  const group = `${f.backend} ${f.workload}`;
  honestRecords.set(group, [
    ...(honestRecords.get(group) ?? []),
    {
      ...f,
      band: Math.abs(f.ratio) * bandOf(f.rounds, inp, honestSe),
      selfRatio: 1 + inp.bias,
      verdict: after as Verdict,
    },
  ]);
  if (judge(f.rounds, inp, honestSe, 0) !== after) unsure++;
  if (before !== 'within noise') tally.old.judged++;
  if (after !== 'within noise') tally.honest.judged++;
  const key = `${before} -> ${after}`;
  transitions.set(key, (transitions.get(key) ?? 0) + 1);
  if (before !== after && after === 'within noise')
    becameNoise.push(
      `${f.backend} ${f.id} ${f.candidate} ÷ ${f.baseline} ${f.metric}: ${f.ratio} (${f.target}), ${f.rounds.length} rounds, was ${before}`,
    );
  if (after === 'within noise') {
    // Rounds at which the honest band would judge it, at the recorded scatter and median.
    const center = median(f.rounds);
    const sd = Math.max(inp.selfSd, stdev(f.rounds.map((r) => r / center)));
    const d = distance(center, inp.target) / Math.abs(center);
    let k = f.rounds.length;
    while (k <= 20 && Math.max(BAND_FLOOR, inp.bias, honestSe(sd, k)) >= d) k++;
    byRoundsHonest.push(k);
  }
}
const recordedJudged = judgeable.filter((f) => f.verdict === 'pass' || f.verdict === 'fail').length;
const pct = (a: number) => `${a} of ${judgeable.length} (${Math.round((100 * a) / judgeable.length)} %)`;
console.log(
  `\nthe t quantile against the recorded statistic, ${judgeable.length} targeted ratio figures (B8's µs/call left out):`,
);
console.log(`  judged as recorded: ${pct(recordedJudged)}`);
console.log(`  judged, recorded statistic replayed: ${pct(tally.old.judged)}`);
for (const line of replayed) console.log(`    ${line}`);
console.log(`  judged, t quantile: ${pct(tally.honest.judged)}`);
for (const [key, count] of [...transitions].sort()) console.log(`  ${count}  ${key}`);
console.log(`  verdicts that depend on the unrecorded A′ ÷ A scatter (t quantile): ${unsure}`);
console.log('  judged once within noise no more:');
for (const line of becameNoise) console.log(`    ${line}`);
for (const k of [3, 4, 5, 8, 13, 20])
  console.log(
    `  within noise under t, judged with ${k} rounds at the recorded scatter: ${byRoundsHonest.filter((x) => x <= k).length} of ${byRoundsHonest.length}`,
  );

// The extra-round rule on the replayed t verdicts: which groups with a figure within noise ask for more rounds
// (up to 8, the full run's usual maxRounds) under the old rule (any) and the new one (one 8 rounds could judge).
const asking = { any: 0, could: 0, rounds: 0, roundsCould: 0 };
for (const records of honestRecords.values()) {
  const n = records[0]!.rounds.length;
  if (n >= 8 || !records.some((r) => r.verdict === 'within noise')) continue;
  asking.any++;
  asking.rounds += 8 - n;
  if (wantsAnotherRound(records, n, 8)) {
    asking.could++;
    asking.roundsCould += 8 - n;
  }
}
console.log(
  `  groups (of ${honestRecords.size}) asking for extra rounds up to 8: any within noise ${asking.any} (${asking.rounds} rounds), one 8 rounds could judge ${asking.could} (${asking.roundsCould} rounds)`,
);

// Two halves of the rounds of a figure with 4 or more, each judged alone: the closest offline proxy for "two
// runs agree on every verdict".
const halves = { old: [0, 0, 0, 0], honest: [0, 0, 0, 0] }; // agree, differ, pass vs fail, judged in both
let withHalves = 0;
for (const f of judgeable) {
  const n = f.rounds.length;
  if (n < 4) continue;
  withHalves++;
  const h = Math.floor(n / 2);
  const inp = inputsOf(f, groups.get(`${f.backend} ${f.workload}`) ?? []);
  for (const [name, se] of [
    ['old', recordedSe],
    ['honest', honestSe],
  ] as const) {
    const a = judge(f.rounds.slice(0, h), inp, se);
    const b = judge(f.rounds.slice(n - h), inp, se);
    const t = halves[name];
    t[a === b ? 0 : 1]!++;
    if ((a === 'pass' && b === 'fail') || (a === 'fail' && b === 'pass')) t[2]!++;
    if (a !== 'within noise' && b !== 'within noise') t[3]!++;
  }
}
console.log(`\nthe two halves of the rounds, ${withHalves} targeted figures with 4 rounds or more:`);
for (const [name, [agree, differ, contra, both]] of Object.entries(halves))
  console.log(
    `  ${name === 'old' ? 'recorded statistic' : 't quantile'}: agree ${agree}, differ ${differ} (pass against fail ${contra}), judged in both halves ${both}`,
  );
