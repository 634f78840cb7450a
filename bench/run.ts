import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CollectMode } from './collect';
import { linkRepositoryFiles } from './layout';
import { machine, type Machine } from './machine';
import { checkComparable, mergeResults } from './merge';
import { parseOptions, type BenchOptions, type StageGroup } from './options';
import { benchSize, type SizeResult } from './size';
import { renderTables } from './table';
import { checkTargets, type TargetCheck } from './targets';

/** One run of the benchmark: what it measured and when it finished. */
export interface BenchRun {
  finishedAt: string;
  sizes: string[];
  stages: StageGroup[];
  /** The collect scopes it measured; absent from runs made before `--scopes`, which measured both. */
  scopes?: CollectMode[];
  /** The machine it ran on; absent from runs made before merging allowed another kernel build, which ran on the results' own. */
  machine?: Machine;
}

/** bench/results.json */
export interface BenchResults {
  /** The latest run's machine; every merged run's is of the same kind (merge.ts). */
  machine: Machine;
  settings: Pick<BenchOptions, 'latency' | 'rateLimit'>;
  /** The runs whose results these are: one, or several merged with `--merge`. */
  runs: BenchRun[];
  sizes: SizeResult[];
  targets: TargetCheck[];
}

/**
 * `npm run bench`: generates each size's sample estate and measures collect (per account and
 * through an aggregator, against a fake AWS with latency and throttling), assess, each renderer
 * and the libraries alone, each in a process of its own. Prints Markdown tables and writes
 * bench/results.json (or --results). See bench/README.md.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ran = machine();
  const settings = { latency: options.latency, rateLimit: options.rateLimit };
  const earlier = options.merge && existsSync(options.results) ? (JSON.parse(readFileSync(options.results, 'utf8')) as BenchResults) : null;
  // Refused before hours of measuring rather than after.
  if (earlier) checkComparable(earlier, { machine: ran, settings });
  linkRepositoryFiles();
  const work = mkdtempSync(path.join(options.work, 'auditpack-bench-'));
  const sizes: SizeResult[] = [];
  try {
    for (const size of options.sizes) sizes.push(await benchSize(size, options, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const finishedAt = new Date().toISOString();
  const latest: BenchResults = {
    machine: ran,
    settings,
    runs: [{ finishedAt, sizes: options.sizes.map((s) => s.name), stages: [...options.stages], scopes: [...options.scopes], machine: ran }],
    sizes,
    targets: checkTargets(sizes),
  };
  let results = latest;
  if (earlier) {
    try {
      results = mergeResults(earlier, latest);
    } catch (e) {
      // This run's measurements are kept whatever happens to the merge.
      const kept = `${options.results}.unmerged.json`;
      writeFileSync(kept, `${JSON.stringify(latest, null, 2)}\n`);
      throw new Error(`${options.results}: not merged: ${(e as Error).message}; this run's results are in ${kept}`);
    }
  }
  writeFileSync(options.results, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderTables(results));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
