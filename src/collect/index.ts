import { randomUUID } from 'node:crypto';
import type { CollectionGap, PackManifest } from '../evidence/manifest';
import { PackWriter } from '../evidence/writer';
import { sealWith, type Signer } from '../integrity/signature';
import { ApiCallLedger } from './api-calls';
import { artifactCollector } from './artifact';
import { carryForwardCollector, loadEarlierPack, planCarry } from './carry-forward';
import type { ClientSettings } from './clients';
import type { CollectMode } from './collect-mode';
import type { Collector, PackScope } from './collector';
import { configAccountsCollector, type EvaluationReading } from './config-account';
import { configAggregatorCollector } from './config-aggregator';
import { callerCredentials, requireCredentials } from './credentials';
import { EvaluationPaths } from './evaluation-paths';
import { artifactEndpoint, loopbackOrigin } from './endpoints';
import { Limits } from './limits';
import { loadManualEvidence, manualCollector, type ManualItem } from './manual';
import { createProgress } from './progress';
import { CollectionRun } from './run';
import { accountTargets, aggregatorTarget, callerAccount, type AccountTarget } from './scope';
import { describeCollection } from './summary';

export interface CollectOptions {
  out: string;
  period?: string;
  regions?: string[];
  profile?: string;
  roleArns: string[];
  aggregator?: { name: string; region: string };
  attestations?: string;
  /** --carry-forward: the earlier pack whose still valid attestations and risk acceptances come into this one. */
  carryForward?: string;
  artifactDownload: boolean;
  endpointUrl?: string;
  concurrency: number;
  maxAttempts: number;
  /** --request-timeout, in seconds. */
  requestTimeout: number;
  quiet: boolean;
  /** How evaluations are read (docs/collect.md). */
  collectMode: CollectMode;
  /** Signs the pack's manifest before the pack moves into place. */
  signer?: Signer;
}

/** Where an Australian agency's workloads live, unless --regions says otherwise. */
export const DEFAULT_REGIONS = ['ap-southeast-2', 'ap-southeast-4'];

type CollectorRun = PackManifest['collectors'][number];

export interface Collected {
  manifest: PackManifest;
  /** The summary to print: counts per evidence kind, API calls, gaps. */
  summary: string;
}

/**
 * Collects an evidence pack. Manual evidence, the earlier pack to carry forward from and
 * credentials are checked first, so that a bad file or missing credentials fail before any AWS
 * call; the pack is written in a staged directory and appears only when complete (a failure or
 * Ctrl-C leaves nothing behind).
 */
export async function collect(options: CollectOptions): Promise<Collected> {
  const startedAt = new Date();
  const manual = options.attestations === undefined ? [] : loadManualEvidence(options.attestations);
  const earlier = options.carryForward === undefined ? null : await loadEarlierPack(options.carryForward);
  const callerKeys = callerCredentials(options.profile, options.requestTimeout * 1000);
  await requireCredentials(callerKeys);

  const writer = await PackWriter.create(options.out, sealWith(options.signer));
  const progress = createProgress(options.quiet);
  const ledger = new ApiCallLedger();
  const settings: ClientSettings = { endpointUrl: options.endpointUrl, maxAttempts: options.maxAttempts, requestTimeoutMs: options.requestTimeout * 1000, ledger };
  const run = new CollectionRun(writer, ledger, new Limits(options.concurrency), progress);
  const reading: EvaluationReading = { mode: options.collectMode, paths: new EvaluationPaths() };
  try {
    const stsRegion = options.aggregator?.region ?? (options.regions ?? DEFAULT_REGIONS)[0];
    const caller = { accountId: await callerAccount(settings, callerKeys, stsRegion), credentials: callerKeys };
    const plan = await planCollection(run, settings, caller, options, stsRegion, reading, manual);
    const collectors: CollectorRun[] = [];
    let scope = plan.scope;
    const notes: string[] = [];
    const runCollector = async (collector: Collector) => {
      const began = new Date().toISOString();
      const report = await collector.collect(run.for(collector));
      collectors.push({ name: collector.name, startedAt: began, completedAt: new Date().toISOString() });
      scope = report.scope ?? scope;
      notes.push(...report.notes);
    };
    for (const collector of plan.collectors) await runCollector(collector);
    // The evidence from AWS is complete. Records are carried last, judged at this time, which the
    // pack records as its completion: so on the day the assessment judges expiry at.
    const completedAt = new Date().toISOString();
    const carry = earlier ? planCarry(earlier, completedAt, new Set(manual.map((m) => m.record.id))) : null;
    if (carry) await runCollector(carryForwardCollector(carry));

    const manifest = await writer.commit({
      packId: randomUUID(),
      period: options.period ?? quarterOf(startedAt),
      // Evidence carried from a sample pack is made up: the new pack says SAMPLE DATA too.
      sample: earlier?.manifest.sample ?? false,
      organisation: null,
      scope,
      collectors,
      startedAt: startedAt.toISOString(),
      completedAt,
      gaps: [...run.gaps].sort(byPlace),
      apiCalls: ledger.entries(),
      evaluationPaths: reading.paths.entries(),
      ...(carry ? { carryForward: carry.summary } : {}),
    });
    return { manifest, summary: describeCollection(writer.target, manifest, [...notes, ...pathNotes(manifest)]) };
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    progress.stop();
  }
}

interface Plan {
  /** The collectors to run, in order. */
  collectors: Collector[];
  /** The scope collect was given; a collector that finds it out itself (an aggregator) reports it instead. */
  scope: PackScope;
}

/**
 * Who collects what: Config evidence through the accounts reached (the caller's and each role's)
 * or through an aggregator; then AWS Artifact, read with the credentials of the account collect
 * signs in to (the caller's, or the aggregator's); then the manual evidence, when given.
 */
async function planCollection(
  run: CollectionRun,
  settings: ClientSettings,
  caller: AccountTarget,
  options: CollectOptions,
  stsRegion: string,
  reading: EvaluationReading,
  manual: ManualItem[],
): Promise<Plan> {
  const config = options.aggregator ? await viaAggregator(settings, caller, options, options.aggregator, reading) : await viaAccounts(run, settings, caller, options, stsRegion, reading);
  const downloads = options.artifactDownload ? { maxAttempts: options.maxAttempts, requestTimeoutMs: settings.requestTimeoutMs, emulator: loopbackOrigin(artifactEndpoint(options.endpointUrl)) } : null;
  const artifact = artifactCollector(settings, config.primary, downloads);
  return { collectors: [config.collector, artifact, ...(options.attestations === undefined ? [] : [manualCollector(manual)])], scope: config.scope };
}

interface ConfigPlan {
  collector: Collector;
  scope: PackScope;
  /** The account whose credentials also read AWS Artifact. */
  primary: AccountTarget;
}

/** Config evidence of the caller's account and each role's; a role that cannot be assumed leaves a gap, its account in scope. */
async function viaAccounts(run: CollectionRun, settings: ClientSettings, caller: AccountTarget, options: CollectOptions, stsRegion: string, reading: EvaluationReading): Promise<ConfigPlan> {
  const regions = options.regions ?? DEFAULT_REGIONS;
  const { targets, accounts } = await accountTargets(run, settings, caller, options.roleArns, stsRegion);
  return {
    collector: configAccountsCollector(settings, targets, regions, reading),
    scope: { accounts: accounts.map((accountId) => ({ accountId, name: null })), regions },
    primary: targets[0],
  };
}

/** Config evidence of every account and Region an aggregator holds; until it is read, its accounts are unknown. */
async function viaAggregator(settings: ClientSettings, caller: AccountTarget, options: CollectOptions, aggregator: { name: string; region: string }, reading: EvaluationReading): Promise<ConfigPlan> {
  const primary = await aggregatorTarget(settings, caller, options.roleArns[0], aggregator.region);
  return {
    collector: configAggregatorCollector(settings, primary, aggregator, options.regions, reading),
    scope: { accounts: [], regions: options.regions ?? [] },
    primary,
  };
}

/** Where evaluations were read in bulk, what that leaves out (docs/collect.md). */
function pathNotes(manifest: PackManifest): string[] {
  const paths = manifest.evaluationPaths ?? [];
  const bulk = paths.filter((p) => p.path === 'bulk').length;
  if (!bulk) return [];
  return [`evaluations of ${bulk} account-Region(s) read in bulk from ResourceCompliance items (annotations only for process checks' NON_COMPLIANT results), ${paths.length - bulk} per rule`];
}

/** The default period label: the calendar quarter the collection started in, e.g. 2026-Q4. */
export function quarterOf(date: Date): string {
  return `${date.getFullYear()}-Q${Math.floor(date.getMonth() / 3) + 1}`;
}

const byPlace = (a: CollectionGap, b: CollectionGap) =>
  [a.collector, a.accountId ?? '', a.region ?? '', a.operation, a.message].join('\u0000').localeCompare([b.collector, b.accountId ?? '', b.region ?? '', b.operation, b.message].join('\u0000'));
