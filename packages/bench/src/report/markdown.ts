import type { FigureRecord } from '../harness/types.js';
import type { Environment, RunInfo, Summary } from './run-info.js';

function num(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function verdict(r: FigureRecord): string {
  return r.verdict === 'fail' ? '**FAIL**' : r.verdict;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The results table, one row per figure, with the run's machine, versions and commit. */
export function renderMarkdown(run: RunInfo, env: Environment, summary: Summary): string {
  const lines: string[] = [];
  lines.push(`# berth bench: ${run.quick ? 'quick' : 'full'} run`);
  lines.push('');
  lines.push(
    `${env.date.slice(0, 10)} · commit \`${env.commit.slice(0, 12)}\`${env.dirty ? ' (with uncommitted changes)' : ''} · ${Math.round(run.seconds)} s`,
  );
  lines.push(
    `${env.machine.cpu}, ${env.machine.cores} cores, ${env.machine.memoryGiB} GiB, ${env.machine.os} · load average ${env.loadAverage.join(' / ')} at the end · Node ${env.node} · PostgreSQL ${env.servers.postgres} · MariaDB/MySQL ${env.servers.mysql}`,
  );
  lines.push('');
  lines.push(
    `Versions: ${Object.entries(env.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push('');
  lines.push(
    "Every ratio is candidate ÷ baseline, measured in this one run in the same process on the same database and pool size, in alternating rounds (A-B-B-A, palindromic when several contenders share a baseline) after a warm-up: the median of the per-round ratios, ± half their range. Throughput ratios above 1 favour the candidate; p99 and latency ratios below 1 do. B8 is the overhead in µs per call. B9, beside every throughput figure, is CPU µs per operation of the bench process, candidate ÷ baseline (below 1 favours the candidate; its target is the inverse of the throughput target); where the client's CPU limits throughput (closed loops over loopback) B9 carries the verdict and the throughput ratio is reported beside it. Every round also measures the baseline against itself (A′ ÷ A, the *self* column); a figure is judged pass or fail only when its distance from the target exceeds its noise band (± band, derived from the self-baseline's and the figure's own per-round scatter), and is otherwise *within noise*.",
  );
  lines.push('');
  lines.push(
    `**${summary.passed} pass, ${summary.failed} fail** of ${summary.judged} judged figures; ${summary.noisy} within noise (not judged): ${summary.judgedShare} % of the ${summary.targeted} figures with a target judged.`,
  );
  lines.push('');
  lines.push(
    '| id | backend | workload | candidate | baseline | metric | ratio | ± spread | ± band | target | result | self | values (cand / base) | note |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | ---: | --- | --- |');
  for (const r of run.records) {
    lines.push(
      `| ${r.id} | ${r.backend} | ${cell(r.workload)} | ${cell(r.candidate)} | ${cell(r.baseline)} | ${r.metric} | ${num(r.ratio)} | ${num(r.spread)} | ${num(r.band)} | ${r.target} | ${verdict(r)} | ${num(r.selfRatio)} | ${num(r.candidateValue, 1)} / ${num(r.baselineValue, 1)} ${r.unit} | ${cell(r.note ?? '')} |`,
    );
  }
  lines.push('');
  if (run.timings && run.timings.length > 0) {
    lines.push(
      'Wall time per step against its share of the time budget (groups whose rounds the budget cut):',
    );
    lines.push('');
    lines.push('| step | seconds | budget (s) | groups cut |');
    lines.push('| --- | ---: | ---: | ---: |');
    for (const t of run.timings)
      lines.push(
        `| ${t.step} | ${Math.round(t.seconds)} | ${Math.round(t.budgetSeconds)} | ${t.cutGroups} of ${t.groups} |`,
      );
    lines.push('');
  }
  lines.push('Pool scaling (B6): [pool-scaling.svg](pool-scaling.svg)');
  lines.push('');
  return `${lines.join('\n')}\n`;
}
