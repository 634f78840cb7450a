import { isDeepStrictEqual } from 'node:util';
import type { BenchResults } from './run';
import type { SizeResult } from './size';
import { SIZES } from './sizes';
import { checkTargets } from './targets';

/**
 * `--merge`: the results of a run that measured some sizes or stage groups, added to the results
 * of earlier runs. What the latest run measured replaces what it measured before; the rest is
 * kept. Only results from the same machine, settings and estates are merged, or the tables would
 * put side by side figures that cannot be compared.
 */
export function mergeResults(earlier: BenchResults, latest: BenchResults): BenchResults {
  const { date: _earlierDate, ...earlierMachine } = earlier.machine;
  const { date: _latestDate, ...latestMachine } = latest.machine;
  if (!isDeepStrictEqual(earlierMachine, latestMachine)) throw new Error(`the earlier results are from another machine or Node (${JSON.stringify(earlierMachine)})`);
  if (!isDeepStrictEqual(earlier.settings, latest.settings)) throw new Error(`the earlier results used other settings (${JSON.stringify(earlier.settings)})`);
  const byName = new Map<string, SizeResult>(earlier.sizes.map((s) => [s.size.name, s]));
  for (const size of latest.sizes) {
    const before = byName.get(size.size.name);
    if (before && !isDeepStrictEqual(before.estate, size.estate)) throw new Error(`the earlier ${size.size.name} estate differs from this run's (${JSON.stringify(before.estate)})`);
    byName.set(size.size.name, { ...size, collect: size.collect ?? before?.collect ?? null, report: size.report ?? before?.report ?? null });
  }
  const sizes = SIZES.flatMap((s) => byName.get(s.name) ?? []);
  return { machine: latest.machine, settings: latest.settings, runs: [...earlier.runs, ...latest.runs], sizes, targets: checkTargets(sizes) };
}
