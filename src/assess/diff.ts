import type { ImplementationStatus } from './annex';
import { needsAttention, STATUSES, type AssessmentResult, type ManualAttestation, type ManualState, type Status } from './result';

/**
 * What changed between an earlier assessment and this one: the report's changes section
 * (`--compare`) and `auditpack diff`, which adds findings, attestations and rules. An earlier result may
 * be of an older format version: only the fields below, present in every version, are read.
 */
export interface EarlierResult {
  asOf: string;
  pack: Pick<AssessmentResult['pack'], 'packId' | 'manifestSha256' | 'period' | 'completedAt' | 'scope'>;
  catalog: { version: string };
  baseline: string;
  servicesInUse: AssessmentResult['servicesInUse'];
  controls: { id: string; status: Status }[];
}

export interface EarlierReport {
  /** The folder as the user named it. */
  dir: string;
  result: EarlierResult;
}

export interface SetChange<T> {
  added: T[];
  removed: T[];
}

export interface ControlChange {
  id: string;
  earlier: Status | null;
  current: Status | null;
}

export interface Changes {
  earlier: {
    dir: string;
    packId: string;
    manifestSha256: string;
    period: string;
    completedAt: string;
    baseline: string;
    catalogVersion: string;
  };
  sameBaseline: boolean;
  accounts: SetChange<{ accountId: string; name: string | null }>;
  regions: SetChange<string>;
  categories: SetChange<string>;
  resourceTypes: SetChange<string>;
  counts: { accounts: [number, number]; regions: [number, number]; categories: [number, number]; resourceTypes: [number, number] };
  statusTotals: { status: Status; earlier: number; current: number }[];
  /** Controls whose status differs, or that are in only one of the two assessments, in the current catalog order. */
  controls: ControlChange[];
  nowNeedAttention: ControlChange[];
  noLongerNeedAttention: ControlChange[];
}

function setChange<T>(earlier: readonly T[], current: readonly T[], key: (t: T) => string): SetChange<T> {
  const before = new Set(earlier.map(key));
  const now = new Set(current.map(key));
  return { added: current.filter((t) => !before.has(key(t))), removed: earlier.filter((t) => !now.has(key(t))) };
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** What changed in scope and status between an earlier assessment and this one. */
export function compareResults(current: AssessmentResult, earlier: EarlierReport): Changes {
  const before = earlier.result;
  const earlierTypes = sorted(before.servicesInUse.flatMap((s) => s.resourceTypes));
  const currentTypes = sorted(current.servicesInUse.flatMap((s) => s.resourceTypes));
  const earlierCategories = before.servicesInUse.map((s) => s.category);
  const currentCategories = current.servicesInUse.map((s) => s.category);

  const earlierStatus = new Map(before.controls.map((c) => [c.id, c.status]));
  const currentIds = new Set(current.controls.map((c) => c.id));
  const controls: ControlChange[] = [
    ...current.controls
      .map((c) => ({ id: c.id, earlier: earlierStatus.get(c.id) ?? null, current: c.status }))
      .filter((c) => c.earlier !== c.current),
    ...before.controls.filter((c) => !currentIds.has(c.id)).map((c) => ({ id: c.id, earlier: c.status, current: null })),
  ];
  const attention = (s: Status | null) => s !== null && needsAttention(s);
  const tally = (statuses: Iterable<Status>) => {
    const out = new Map<Status, number>();
    for (const s of statuses) out.set(s, (out.get(s) ?? 0) + 1);
    return out;
  };
  const earlierTally = tally(before.controls.map((c) => c.status));

  return {
    earlier: {
      dir: earlier.dir,
      packId: before.pack.packId,
      manifestSha256: before.pack.manifestSha256,
      period: before.pack.period,
      completedAt: before.pack.completedAt,
      baseline: before.baseline,
      catalogVersion: before.catalog.version,
    },
    sameBaseline: before.baseline === current.baseline,
    accounts: setChange(before.pack.scope.accounts, current.pack.scope.accounts, (a) => a.accountId),
    regions: setChange(before.pack.scope.regions, current.pack.scope.regions, (r) => r),
    categories: setChange(earlierCategories, currentCategories, (c) => c),
    resourceTypes: setChange(earlierTypes, currentTypes, (t) => t),
    counts: {
      accounts: [before.pack.scope.accounts.length, current.pack.scope.accounts.length],
      regions: [before.pack.scope.regions.length, current.pack.scope.regions.length],
      categories: [earlierCategories.length, currentCategories.length],
      resourceTypes: [earlierTypes.length, currentTypes.length],
    },
    statusTotals: STATUSES.map((status) => ({ status, earlier: earlierTally.get(status) ?? 0, current: current.totals.byStatus[status] })),
    controls,
    nowNeedAttention: controls.filter((c) => attention(c.current) && !attention(c.earlier)),
    noLongerNeedAttention: controls.filter((c) => attention(c.earlier) && !attention(c.current)),
  };
}

/**
 * One distinct failing result: a rule identifier judged the resource NON_COMPLIANT in at least
 * one deployment (a failure outweighs every other result, src/assess/distinct.ts). `region` is
 * null for the resource types AWS Config records once per account.
 */
export interface FailingResult {
  sourceIdentifier: string;
  accountId: string;
  region: string | null;
  resourceType: string;
  resourceId: string;
  /** The controls the rule identifier evidences in that assessment. */
  controlIds: string[];
}

/** One side of `auditpack diff`: an assessment and what was read from its pack. */
export interface DiffSide {
  /** The folder as the user named it, and whether it was a pack assessed now or a report folder's result. */
  dir: string;
  source: 'pack' | 'report';
  result: AssessmentResult;
  /** Every distinct failing result of a Config rule in the pack (process checks are not resources). */
  failing: FailingResult[];
  /** Config rule identifiers and process check names deployed in the pack. */
  rules: string[];
  processChecks: string[];
}

export interface ControlDiff {
  id: string;
  /** Null where the control is in only one of the two assessments. */
  status: { old: Status | null; new: Status | null };
  implementation: { old: ImplementationStatus | null; new: ImplementationStatus | null };
}

export interface AttestationDiff {
  id: string;
  controlIds: string[];
  attester: string;
  /** The record in each pack; null where it is in only one. */
  old: { attestedOn: string; validUntil: string; state: ManualState } | null;
  new: { attestedOn: string; validUntil: string; state: ManualState } | null;
}

export const DIFF_FORMAT = 'auditpack/diff';
export const DIFF_FORMAT_VERSION = 1;

/** What `auditpack diff` prints (docs/diff.md describes every field). */
export interface AssessmentDiff {
  format: typeof DIFF_FORMAT;
  formatVersion: typeof DIFF_FORMAT_VERSION;
  baseline: string;
  old: DiffSideRef;
  new: DiffSideRef;
  scope: {
    accounts: SetChange<{ accountId: string; name: string | null }>;
    regions: SetChange<string>;
    rules: SetChange<string>;
    processChecks: SetChange<string>;
  };
  statusTotals: Changes['statusTotals'];
  controls: ControlDiff[];
  findings: { new: FailingResult[]; resolved: FailingResult[]; persisting: FailingResult[] };
  attestations: { new: AttestationDiff[]; expired: AttestationDiff[]; renewed: AttestationDiff[]; removed: AttestationDiff[] };
}

export interface DiffSideRef {
  dir: string;
  source: DiffSide['source'];
  packId: string;
  manifestSha256: string;
  period: string;
  completedAt: string;
  asOf: string;
  catalogVersion: string;
}

/** A failing result's identity across two assessments: rule identifier, account, Region, resource type and id. */
export const failingKey = (f: FailingResult): string => [f.sourceIdentifier, f.accountId, f.region ?? '', f.resourceType, f.resourceId].join('\u0000');

const sideRef = (s: DiffSide): DiffSideRef => ({
  dir: s.dir,
  source: s.source,
  packId: s.result.pack.packId,
  manifestSha256: s.result.pack.manifestSha256,
  period: s.result.pack.period,
  completedAt: s.result.pack.completedAt,
  asOf: s.result.asOf,
  catalogVersion: s.result.catalog.version,
});

function attestationDiffs(before: readonly ManualAttestation[], after: readonly ManualAttestation[]): AssessmentDiff['attestations'] {
  const view = (a: ManualAttestation | undefined) => (a ? { attestedOn: a.attestedOn, validUntil: a.validUntil, state: a.state } : null);
  const earlier = new Map(before.map((a) => [a.id, a]));
  const later = new Map(after.map((a) => [a.id, a]));
  const all: AttestationDiff[] = [...new Set([...earlier.keys(), ...later.keys()])].sort().map((id) => {
    const a = (later.get(id) ?? earlier.get(id))!;
    return { id, controlIds: a.controlIds, attester: a.attester, old: view(earlier.get(id)), new: view(later.get(id)) };
  });
  const expired = (s: AttestationDiff['old']) => s?.state === 'expired';
  return {
    new: all.filter((a) => a.old === null),
    removed: all.filter((a) => a.new === null),
    // Expired since: not expired in the earlier assessment, expired in this one.
    expired: all.filter((a) => a.old && a.new && !expired(a.old) && expired(a.new)),
    // Renewed: attested again (a later attestation date), and not expired now.
    renewed: all.filter((a) => a.old && a.new && !expired(a.new) && a.new.attestedOn > a.old.attestedOn),
  };
}

/**
 * What changed from `old` to `new`: the scope and status comparison the report's changes
 * section prints (compareResults), with the SSP annex implementation, the distinct failing
 * results, the attestations and the rules deployed. Both must assess the same baseline.
 */
export function diffAssessments(old: DiffSide, now: DiffSide): AssessmentDiff {
  const changes = compareResults(now.result, { dir: old.dir, result: old.result });
  const earlierControls = new Map(old.result.controls.map((c) => [c.id, c]));
  const currentControls = new Map(now.result.controls.map((c) => [c.id, c]));
  const ids = [...now.result.controls.map((c) => c.id), ...old.result.controls.filter((c) => !currentControls.has(c.id)).map((c) => c.id)];
  const controls = ids
    .map((id): ControlDiff => {
      const [a, b] = [earlierControls.get(id), currentControls.get(id)];
      return { id, status: { old: a?.status ?? null, new: b?.status ?? null }, implementation: { old: a?.implementation ?? null, new: b?.implementation ?? null } };
    })
    .filter((c) => c.status.old !== c.status.new || c.implementation.old !== c.implementation.new);
  const before = new Set(old.failing.map(failingKey));
  const after = new Set(now.failing.map(failingKey));
  const set = (a: readonly string[], b: readonly string[]) => setChange(sorted(a), sorted(b), (x) => x);
  return {
    format: DIFF_FORMAT,
    formatVersion: DIFF_FORMAT_VERSION,
    baseline: now.result.baseline,
    old: sideRef(old),
    new: sideRef(now),
    scope: { accounts: changes.accounts, regions: changes.regions, rules: set(old.rules, now.rules), processChecks: set(old.processChecks, now.processChecks) },
    statusTotals: changes.statusTotals,
    controls,
    findings: {
      new: now.failing.filter((f) => !before.has(failingKey(f))),
      resolved: old.failing.filter((f) => !after.has(failingKey(f))),
      persisting: now.failing.filter((f) => before.has(failingKey(f))),
    },
    attestations: attestationDiffs(old.result.manualEvidence.attestations, now.result.manualEvidence.attestations),
  };
}
