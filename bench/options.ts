import os from 'node:os';
import path from 'node:path';
import type { RateLimit } from '../test/helpers/fake-aws/throttle';
import { COLLECT_MODES, type CollectMode } from './collect';
import { ROOT } from './layout';
import { SIZES, type Size } from './sizes';

/** The groups of stages a run measures; generate always runs. */
export const STAGE_GROUPS = ['collect', 'report'] as const;
export type StageGroup = (typeof STAGE_GROUPS)[number];

export interface BenchOptions {
  sizes: Size[];
  stages: Set<StageGroup>;
  /** Which collect scopes the collect group measures, each in bulk and per rule. */
  scopes: Set<CollectMode>;
  /** Each fake AWS answer waits this long (ms): a round trip to AWS and its work. */
  latency: { min: number; max: number };
  rateLimit: RateLimit;
  results: string;
  /** Keep what the results file holds for the sizes and stage groups this run does not measure. */
  merge: boolean;
  /** Where the benchmark's scratch folder is made (packs and reports, removed after each size). */
  work: string;
}

/**
 * AWS publishes no request rates for AWS Config. This one (per operation, account and Region)
 * is below what collect's default of 3 requests in flight reaches at the default latency (about
 * 75 a second), with little burst allowance, so every run meets throttling and has to retry,
 * as real ones do; it also bounds an aggregator, whose every call is made in one account and
 * Region, to 50 requests a second.
 */
export const RATE_LIMIT: RateLimit = { rate: 50, burst: 10 };

const USAGE = 'usage: npm run bench -- [--sizes small,medium,large] [--stages collect,report] [--scopes accounts,aggregator] [--smoke] [--latency MIN-MAX] [--results FILE [--merge]] [--work DIR]';

/** `--smoke` is the small size with a short latency, quick enough for `npm test`. */
export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    sizes: [...SIZES],
    stages: new Set(STAGE_GROUPS),
    scopes: new Set(COLLECT_MODES),
    latency: { min: 20, max: 60 },
    rateLimit: RATE_LIMIT,
    results: path.join(ROOT, 'bench', 'results.json'),
    merge: false,
    work: os.tmpdir(),
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? fail(`${argv[i - 1]} needs a value`);
    switch (argv[i]) {
      case '--sizes': {
        const names = value().split(',');
        options.sizes = names.map((n) => SIZES.find((s) => s.name === n) ?? fail(`unknown size ${n}`));
        break;
      }
      case '--stages': {
        const names = value().split(',');
        options.stages = new Set(names.map((n) => STAGE_GROUPS.find((g) => g === n) ?? fail(`unknown stage group ${n} (collect, report)`)));
        break;
      }
      case '--scopes': {
        const names = value().split(',');
        options.scopes = new Set(names.map((n) => COLLECT_MODES.find((m) => m === n) ?? fail(`unknown collect scope ${n} (accounts, aggregator)`)));
        break;
      }
      case '--smoke':
        options.sizes = SIZES.filter((s) => s.name === 'small');
        options.latency = { min: 1, max: 5 };
        break;
      case '--latency': {
        const [min, max] = value().split('-').map(Number);
        if (!(min >= 0 && max >= min)) fail('--latency takes MIN-MAX in milliseconds, e.g. 20-60');
        options.latency = { min, max };
        break;
      }
      case '--results':
        options.results = path.resolve(value());
        break;
      case '--merge':
        options.merge = true;
        break;
      case '--work':
        options.work = path.resolve(value());
        break;
      default:
        fail(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
