import { isDeepStrictEqual } from 'node:util';
import type { BenchResults, BenchRun } from './run';
import { COLLECT_MODES, type CollectMode } from './collect';
import type { StageGroup } from './options';
import type { CollectStages, SizeResult } from './size';
import { sameKind } from './machine';
import { SIZES } from './sizes';
import { checkTargets } from './targets';

/** Refuses to merge results from another kind of machine or Node, or measured with other settings. */
export function checkComparable(earlier: BenchResults, latest: Pick<BenchResults, 'machine' | 'settings'>): void {
  if (!sameKind(earlier.machine, latest.machine)) throw new Error(`the earlier results are from another machine or Node (${JSON.stringify(earlier.machine)})`);
  if (!isDeepStrictEqual(earlier.settings, latest.settings)) throw new Error(`the earlier results used other settings (${JSON.stringify(earlier.settings)})`);
}

/** What a run measures: a stage group of a size, and for collect one scope. */
type Part = { size: string; stage: StageGroup; scope?: CollectMode };

function parts(run: BenchRun): Part[] {
  return run.sizes.flatMap((size) => run.stages.flatMap((stage): Part[] => (stage === 'collect' ? (run.scopes ?? COLLECT_MODES).map((scope) => ({ size, stage, scope })) : [{ size, stage }])));
}

const samePart = (a: Part, b: Part) => a.size === b.size && a.stage === b.stage && a.scope === b.scope;

/** Each collect scope from the latest run where it measured it, else from the earlier results. */
function mergeCollect(before: CollectStages | null, latest: CollectStages | null): CollectStages | null {
  if (!latest || !before) return latest ?? before;
  const pick = <T>(now: T | null | undefined, then: T | null | undefined) => now ?? then ?? null;
  return {
    fakeAws: latest.fakeAws,
    accounts: pick(latest.accounts, before.accounts),
    aggregator: pick(latest.aggregator, before.aggregator),
    bulk: { accounts: pick(latest.bulk?.accounts, before.bulk?.accounts), aggregator: pick(latest.bulk?.aggregator, before.bulk?.aggregator) },
  };
}

/**
 * `--merge`: the results of a run that measured some sizes or stage groups, added to the results
 * of earlier runs. What the latest run measured replaces what it measured before; the rest is
 * kept, and so are the earlier runs that still account for some of it. Only results from the
 * same kind of machine (merge keeps each run's own), settings and estates are merged, or the tables would put side by side figures
 * that cannot be compared.
 */
export function mergeResults(earlier: BenchResults, latest: BenchResults): BenchResults {
  checkComparable(earlier, latest);
  const byName = new Map<string, SizeResult>(earlier.sizes.map((s) => [s.size.name, s]));
  for (const size of latest.sizes) {
    const before = byName.get(size.size.name);
    if (before && !isDeepStrictEqual(before.estate, size.estate)) throw new Error(`the earlier ${size.size.name} estate differs from this run's (${JSON.stringify(before.estate)})`);
    byName.set(size.size.name, { ...size, collect: mergeCollect(before?.collect ?? null, size.collect), report: size.report ?? before?.report ?? null });
  }
  const sizes = SIZES.flatMap((s) => byName.get(s.name) ?? []);
  const remeasured = latest.runs.flatMap(parts);
  const stillHeld = (run: BenchRun) => parts(run).some((p) => !remeasured.some((l) => samePart(l, p)));
  // An earlier run that did not record its machine ran on the earlier results' one.
  const kept = earlier.runs.filter(stillHeld).map((run) => ({ ...run, machine: run.machine ?? earlier.machine }));
  const runs = [...kept, ...latest.runs].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  return { machine: latest.machine, settings: latest.settings, runs, sizes, targets: checkTargets(sizes) };
}
