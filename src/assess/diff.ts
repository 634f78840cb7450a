import { needsAttention, STATUSES, type AssessmentResult, type Status } from './result';

/**
 * What changed between an earlier assessment and this one (`--compare`). An earlier result may
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
