import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isThrottling } from '../src/collect/aws-errors';
import type { PackManifest } from '../src/evidence/manifest';
import { awsEnv } from '../test/helpers/collect-cli';
import type { EstateStats } from './estate';
import type { FakeServer } from './fake-server';
import { CLI } from './layout';
import { measure } from './measure';
import { accountsMinimum, aggregatorMinimum, totalCalls, type CallCounts, type EvaluationPath } from './minimum';

export const COLLECT_MODES = ['accounts', 'aggregator'] as const;
export type CollectMode = (typeof COLLECT_MODES)[number];
export type { EvaluationPath } from './minimum';
export const EVALUATION_PATHS: readonly EvaluationPath[] = ['per-rule', 'bulk'];

/** The Australian Regions: collect's default, and where the sample estate's workloads are. */
export const REGIONS = ['ap-southeast-2', 'ap-southeast-4'];
export const AGGREGATOR = { name: 'org-aggregator', region: 'ap-southeast-2' };

/** How one collection went, against the fewest calls it could have made. */
export interface CollectResult {
  mode: CollectMode;
  /** `--collect-mode`; absent from results measured before the bulk path existed (per rule). */
  path?: EvaluationPath;
  seconds: number;
  peakNodeMB: number;
  exitCode: number;
  /** Requests sent (the pack manifest's apiCalls), retries included. */
  calls: number;
  retries: number;
  throttles: number;
  /** Requests the fake AWS received, and how many it throttled: a check on the manifest's ledger. */
  serverCalls: number;
  serverThrottled: number;
  minimum: number;
  /** First attempts (calls less retries) over the minimum, less one: 0.02 is 2% more than needed. */
  overMinimum: number;
  /** Operations whose first attempts differ from their minimum. */
  offMinimum: { operation: string; firstAttempts: number; minimum: number }[];
  gaps: number;
  /** Gaps left by throttling that outlasted the retries: a run abandoned because of throttling. */
  throttlingGaps: number;
  evaluations: number;
}

function collectArgs(mode: CollectMode, path: EvaluationPath, server: FakeServer, out: string, accounts: readonly string[]): string[] {
  const common = ['collect', '--out', out, '--period', '2026-Q4', '--regions', REGIONS.join(','), '--endpoint-url', server.url, '--quiet', '--collect-mode', path];
  if (mode === 'aggregator') return [...common, '--aggregator', AGGREGATOR.name, '--aggregator-region', AGGREGATOR.region];
  // The caller's own account is collected with its own keys; every other through a role.
  return [...common, ...accounts.filter((a) => a !== server.caller).flatMap((a) => ['--role-arn', `arn:aws:iam::${a}:role/auditpack-collect`])];
}

function offMinimum(manifest: PackManifest, minimum: CallCounts): CollectResult['offMinimum'] {
  const sent = new Map((manifest.apiCalls ?? []).map((c) => [`${c.service}:${c.operation}`, c.calls - c.retries]));
  return [...new Set([...sent.keys(), ...Object.keys(minimum)])]
    .map((operation) => ({ operation, firstAttempts: sent.get(operation) ?? 0, minimum: minimum[operation] ?? 0 }))
    .filter((o) => o.firstAttempts !== o.minimum);
}

/**
 * Runs the real CLI (`bin/auditpack.js collect`) against the fake AWS, measured alone in its own
 * process, and compares what it sent with the minimum for the same accounts and Regions.
 */
export async function runCollect(mode: CollectMode, evaluationPath: EvaluationPath, server: FakeServer, stats: EstateStats, out: string): Promise<CollectResult> {
  const env = awsEnv({ AWS_ACCESS_KEY_ID: server.keys.accessKeyId, AWS_SECRET_ACCESS_KEY: server.keys.secretAccessKey });
  const m = await measure(CLI, collectArgs(mode, evaluationPath, server, out, stats.accounts), { env });
  // 3 is a pack written with gaps: still a collection to measure (and its gaps are counted below).
  if (m.exitCode !== 0 && m.exitCode !== 3) throw new Error(`collect (${mode}) exited ${m.exitCode}:\n${m.stderr}`);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as PackManifest;
  const served = await server.takeCounts();
  const minimumCalls = mode === 'accounts' ? accountsMinimum(stats, REGIONS, evaluationPath) : aggregatorMinimum(stats, REGIONS, evaluationPath);
  const sum = (pick: (c: NonNullable<PackManifest['apiCalls']>[number]) => number) => (manifest.apiCalls ?? []).reduce((n, c) => n + pick(c), 0);
  const calls = sum((c) => c.calls);
  const retries = sum((c) => c.retries);
  const minimum = totalCalls(minimumCalls);
  return {
    mode,
    path: evaluationPath,
    seconds: m.seconds,
    peakNodeMB: m.peakNodeMB,
    exitCode: m.exitCode,
    calls,
    retries,
    throttles: sum((c) => c.throttles),
    serverCalls: served.reduce((n, c) => n + c.calls, 0),
    serverThrottled: served.reduce((n, c) => n + c.throttled, 0),
    minimum,
    overMinimum: (calls - retries) / minimum - 1,
    offMinimum: offMinimum(manifest, minimumCalls),
    gaps: manifest.gaps.length,
    throttlingGaps: manifest.gaps.filter((g) => isThrottling({ name: g.errorCode })).length,
    evaluations: manifest.files.find((f) => f.path === 'config/evaluations.jsonl')?.records ?? 0,
  };
}
