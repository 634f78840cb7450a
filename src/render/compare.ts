import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RESULT_FORMAT, STATUSES, type AssessmentResult, type Status } from '../assess/result';
import { SERVICE_CATEGORIES } from '../mapping/responsibility';
import { AuditpackError } from '../errors';
import { digestBytes } from '../integrity/files';
import { readFileList } from '../integrity/verify';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { needsAttention } from './statuses';

// The report folder's own names (src/pipeline/report.ts writes them); repeated here because the
// pipeline depends on the renderers, not the other way round.
const REPORT_FOLDER_FORMAT = 'auditpack/report';
const RESULT_FILE = 'assessment-result.json';

/** The parts of an earlier assessment result that a comparison reads; anything else in it is ignored. */
const EarlierResult = z.looseObject({
  format: z.literal(RESULT_FORMAT),
  formatVersion: z.literal(1),
  asOf: z.string(),
  pack: z.looseObject({
    packId: z.string(),
    manifestSha256: z.string(),
    period: z.string(),
    completedAt: z.string(),
    scope: z.looseObject({
      accounts: z.array(z.looseObject({ accountId: z.string(), name: z.string().nullable() })),
      regions: z.array(z.string()),
    }),
  }),
  catalog: z.looseObject({ version: z.string() }),
  baseline: z.string(),
  servicesInUse: z.array(z.looseObject({ category: z.enum(SERVICE_CATEGORIES), resourceTypes: z.array(z.string()) })),
  controls: z.array(z.looseObject({ id: z.string(), status: z.enum(STATUSES) })),
});
export type EarlierResult = z.infer<typeof EarlierResult>;

export interface EarlierReport {
  /** The folder as the user named it. */
  dir: string;
  result: EarlierResult;
}

/**
 * Reads the assessment result of an earlier report folder (`--compare DIR`). The folder must be
 * an auditpack report whose manifest still hashes its assessment result, so a comparison is
 * never made against a result edited after it was written.
 */
export async function loadEarlierReport(dir: string): Promise<EarlierReport> {
  let list;
  try {
    list = await readFileList(dir);
  } catch (e) {
    throw new AuditpackError(`--compare: ${(e as Error).message}`);
  }
  if (list.format !== REPORT_FOLDER_FORMAT) throw new AuditpackError(`--compare: ${dir} is not an auditpack report folder (its manifest is ${JSON.stringify(list.format)})`);
  const entry = list.files.find((f) => f.path === RESULT_FILE);
  if (!entry) throw new AuditpackError(`--compare: ${dir}/manifest.json does not list ${RESULT_FILE}`);
  const file = path.join(dir, RESULT_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new AuditpackError(`--compare: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (digestBytes(bytes).sha256 !== entry.sha256) {
    throw new AuditpackError(`--compare: ${file} does not match the SHA-256 in ${dir}/manifest.json; it changed after the report was written`);
  }
  let json: { formatVersion?: unknown } | null;
  try {
    json = parseJson(bytes.toString('utf8'), file) as { formatVersion?: unknown } | null;
  } catch (e) {
    throw new AuditpackError(`--compare: ${(e as Error).message}`);
  }
  if (typeof json?.formatVersion === 'number' && json.formatVersion > 1) {
    throw new AuditpackError(`--compare: ${file} is assessment result version ${json.formatVersion}, newer than this auditpack reads (1); upgrade auditpack`);
  }
  const parsed = EarlierResult.safeParse(json);
  if (!parsed.success) throw new AuditpackError(`--compare: ${file}: ${describeIssue(parsed.error)}`);
  return { dir, result: parsed.data };
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
