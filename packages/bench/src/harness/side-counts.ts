import { rmSync } from 'node:fs';
import { log } from './log.js';
import { median } from './stats.js';

/**
 * The report of a callgrind A-B(-C) script: one line per side, its median instructions per operation, its
 * blocks in thousands and, after the first side (the baseline, A), its ratio to the first side's median
 * (with `difference`, also the signed distance in instructions). `label` names a side in its line.
 */
export function sideCountLines<S extends string>(
  per: Record<S, number[]>,
  sides: readonly S[],
  label: (side: S) => string,
  unit: string,
  options: { digits?: number; difference?: boolean } = {},
): string[] {
  const a = median(per[sides[0]!]);
  return sides.map((side, i) => {
    const v = per[side];
    const m = median(v);
    const blocks = v.map((x) => Math.round(x / 1000)).join(', ');
    const ratio =
      i === 0
        ? ''
        : `, ÷ A ${(m / a).toFixed(options.digits ?? 4)}×${
            options.difference
              ? `, ${m >= a ? '+' : '−'}${Math.round(Math.abs(m - a)).toLocaleString('en')}`
              : ''
          }`;
    return `  ${label(side)}: ${Math.round(m).toLocaleString('en')} instructions ${unit}, main thread (blocks ${blocks} k)${ratio}`;
  });
}

/** Removes a callgrind script's dump directory, or keeps it and says where when `BENCH_KEEP_CALLGRIND` is set. */
export function removeCallgrindDumps(dir: string): void {
  if (process.env.BENCH_KEEP_CALLGRIND) log(`callgrind dumps kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
