import { isDeepStrictEqual } from 'node:util';
import type { BenchResults, BenchRun } from './run';
import type { SizeResult } from './size';
import { SIZES } from './sizes';
import { checkTargets } from './targets';

/** Refuses to merge results from another machine or Node, or measured with other settings. */
export function checkComparable(earlier: BenchResults, latest: Pick<BenchResults, 'machine' | 'settings'>): void {
  if (!isDeepStrictEqual(earlier.machine, latest.machine)) throw new Error(`the earlier results are from another machine or Node (${JSON.stringify(earlier.machine)})`);
  if (!isDeepStrictEqual(earlier.settings, latest.settings)) throw new Error(`the earlier results used other settings (${JSON.stringify(earlier.settings)})`);
}

/** Whether `run` measured `stage` of `size`. */
const measured = (run: BenchRun, size: string, stage: BenchRun['stages'][number]) => run.sizes.includes(size) && run.stages.includes(stage);

/**
 * `--merge`: the results of a run that measured some sizes or stage groups, added to the results
 * of earlier runs. What the latest run measured replaces what it measured before; the rest is
 * kept, and so are the earlier runs that still account for some of it. Only results from the
 * same machine, settings and estates are merged, or the tables would put side by side figures
 * that cannot be compared.
 */
export function mergeResults(earlier: BenchResults, latest: BenchResults): BenchResults {
  checkComparable(earlier, latest);
  const byName = new Map<string, SizeResult>(earlier.sizes.map((s) => [s.size.name, s]));
  for (const size of latest.sizes) {
    const before = byName.get(size.size.name);
    if (before && !isDeepStrictEqual(before.estate, size.estate)) throw new Error(`the earlier ${size.size.name} estate differs from this run's (${JSON.stringify(before.estate)})`);
    byName.set(size.size.name, { ...size, collect: size.collect ?? before?.collect ?? null, report: size.report ?? before?.report ?? null });
  }
  const sizes = SIZES.flatMap((s) => byName.get(s.name) ?? []);
  const stillHeld = (run: BenchRun) => run.sizes.some((size) => run.stages.some((stage) => !latest.runs.some((l) => measured(l, size, stage))));
  const runs = [...earlier.runs.filter(stillHeld), ...latest.runs].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  return { machine: latest.machine, settings: latest.settings, runs, sizes, targets: checkTargets(sizes) };
}
