import { randomUUID } from 'node:crypto';
import type { CollectionGap, PackDescription, PackManifest } from '../evidence/manifest';
import { PackWriter } from '../evidence/writer';
import { sealWith, type Signer } from '../integrity/signature';
import { ApiCallLedger } from './api-calls';
import { artifactApi } from './artifact-api';
import { ARTIFACT_COLLECTOR, collectArtifact } from './artifact';
import { configClient, type ClientSettings } from './clients';
import type { CollectMode } from './collect-mode';
import { CONFIG_COLLECTOR, collectConfigLocation, type EvaluationReading } from './config-account';
import { AGGREGATOR_COLLECTOR, collectThroughAggregator } from './config-aggregator';
import { callerCredentials, requireCredentials } from './credentials';
import { EvaluationPaths } from './evaluation-paths';
import { artifactEndpoint, loopbackOrigin } from './endpoints';
import { forEachLimited, Limits } from './limits';
import { loadManualEvidence, MANUAL_COLLECTOR, writeManualEvidence } from './manual';
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

/**
 * Account-Regions collected side by side. Each has its own limiter, so this bounds the
 * requests in flight overall (and the sockets open) to this times --concurrency.
 */
const LOCATIONS_IN_PARALLEL = 8;

type Collector = PackDescription['collectors'][number];
type Scope = PackDescription['scope'];

export interface Collected {
  manifest: PackManifest;
  /** The summary to print: counts per evidence kind, API calls, gaps. */
  summary: string;
}

/**
 * Collects an evidence pack. Manual evidence and credentials are checked first, so that a bad
 * file or missing credentials fail before any AWS call; the pack is written in a staged
 * directory and appears only when complete (a failure or Ctrl-C leaves nothing behind).
 */
export async function collect(options: CollectOptions): Promise<Collected> {
  const startedAt = new Date();
  const manual = options.attestations === undefined ? [] : loadManualEvidence(options.attestations);
  const callerKeys = callerCredentials(options.profile, options.requestTimeout * 1000);
  await requireCredentials(callerKeys);

  const writer = await PackWriter.create(options.out, sealWith(options.signer));
  const progress = createProgress(options.quiet);
  const ledger = new ApiCallLedger();
  const settings: ClientSettings = { endpointUrl: options.endpointUrl, maxAttempts: options.maxAttempts, requestTimeoutMs: options.requestTimeout * 1000, ledger };
  const run = new CollectionRun(writer, ledger, new Limits(options.concurrency), progress);
  const collectors: Collector[] = [];
  const reading: EvaluationReading = { mode: options.collectMode, paths: new EvaluationPaths() };
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = new Date().toISOString();
    const result = await work();
    collectors.push({ name, startedAt: started, completedAt: new Date().toISOString() });
    return result;
  };
  try {
    const stsRegion = options.aggregator?.region ?? (options.regions ?? DEFAULT_REGIONS)[0];
    const caller = { accountId: await callerAccount(settings, callerKeys, stsRegion), credentials: callerKeys };
    const { scope, primary, notes } = options.aggregator
      ? await timed(AGGREGATOR_COLLECTOR, () => viaAggregator(run, settings, caller, options, options.aggregator!, reading))
      : await timed(CONFIG_COLLECTOR, () => viaAccounts(run, settings, caller, options, stsRegion, reading));

    // Artifact's reports are AWS's own, the same for every account; the agreements read are
    // those of the account collect signs in to (the caller's, or the aggregator's).
    const api = artifactApi(settings, primary.credentials);
    progress.expect(1);
    const downloads = options.artifactDownload ? { maxAttempts: options.maxAttempts, requestTimeoutMs: settings.requestTimeoutMs, emulator: loopbackOrigin(artifactEndpoint(options.endpointUrl)) } : null;
    const artifact = await timed(ARTIFACT_COLLECTOR, () => collectArtifact(run, api, primary.accountId, downloads)).finally(() => api.destroy());
    progress.done(1, `artifact: ${artifact.reports} reports (${artifact.downloaded} downloaded), ${artifact.agreements} agreements`);

    if (options.attestations !== undefined) {
      progress.expect(1);
      await timed(MANUAL_COLLECTOR, () => writeManualEvidence(writer, manual));
      progress.done(1, `manual: ${manual.length} attestations and risk acceptances`);
    }

    const manifest = await writer.commit({
      packId: randomUUID(),
      period: options.period ?? quarterOf(startedAt),
      sample: false,
      organisation: null,
      scope,
      collectors,
      startedAt: startedAt.toISOString(),
      completedAt: new Date().toISOString(),
      gaps: [...run.gaps].sort(byPlace),
      apiCalls: ledger.entries(),
      evaluationPaths: reading.paths.entries(),
    });
    return { manifest, summary: describeCollection(writer.target, manifest, [...notes, ...pathNotes(manifest)]) };
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    progress.stop();
  }
}

interface ConfigCollected {
  scope: Scope;
  /** The account whose credentials also read AWS Artifact. */
  primary: AccountTarget;
  /** What the summary should point out. */
  notes: string[];
}

/** Config evidence of the caller's account and each role's, in every Region in scope. */
async function viaAccounts(run: CollectionRun, settings: ClientSettings, caller: AccountTarget, options: CollectOptions, stsRegion: string, reading: EvaluationReading): Promise<ConfigCollected> {
  const regions = options.regions ?? DEFAULT_REGIONS;
  const { targets, accounts } = await accountTargets(run, settings, caller, options.roleArns, stsRegion);
  const locations = targets.flatMap((target) => regions.map((region) => ({ target, region })));
  run.progress.expect(locations.length);
  await forEachLimited(locations, LOCATIONS_IN_PARALLEL, async ({ target, region }) => {
    const client = configClient(settings, region, target.credentials);
    try {
      const t = await collectConfigLocation(run, client, { accountId: target.accountId, region }, reading);
      run.progress.done(1, `config ${target.accountId} ${region}: ${t.rules} rules, ${t.evaluations} evaluations, ${t.resources} resources`);
    } finally {
      client.destroy();
    }
  });
  return { scope: { accounts: accounts.map((accountId) => ({ accountId, name: null })), regions }, primary: targets[0], notes: [] };
}

/** Config evidence of every account and Region an aggregator holds. */
async function viaAggregator(
  run: CollectionRun,
  settings: ClientSettings,
  caller: AccountTarget,
  options: CollectOptions,
  aggregator: { name: string; region: string },
  reading: EvaluationReading,
): Promise<ConfigCollected> {
  const primary = await aggregatorTarget(settings, caller, options.roleArns[0], aggregator.region);
  const client = configClient(settings, aggregator.region, primary.credentials);
  try {
    const seen = await collectThroughAggregator(run, client, { ...aggregator, accountId: primary.accountId }, options.regions, reading);
    const notes = seen.unresolvedRules
      ? [`${seen.unresolvedRules} rule(s) not from a known conformance pack: the aggregator does not say which managed rule they run, so their evaluations are in the pack without a rule record`]
      : [];
    return { scope: { accounts: seen.accounts.map((accountId) => ({ accountId, name: null })), regions: seen.regions }, primary, notes };
  } finally {
    client.destroy();
  }
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
