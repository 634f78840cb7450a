import { assess } from '../assess/assess';
import { diffAssessments, failingKey, type AssessmentDiff, type DiffSide, type FailingResult } from '../assess/diff';
import { GLOBAL_RESOURCE_TYPES } from '../assess/distinct';
import type { AssessmentResult } from '../assess/result';
import { AuditpackError } from '../errors';
import { openPack } from '../evidence/reader';
import { PROCESS_CHECK_IDENTIFIER, templateName } from '../evidence/records';
import { readFileList } from '../integrity/verify';
import { PACK_FORMAT } from '../evidence/manifest';
import { resolveCatalog } from '../mapping/catalog-store';
import { loadMappings } from '../mapping/mappings';
import { packRows } from '../render/rows';
import type { AssessOptions } from './report';
import { loadReportResult, packOfResult, REPORT_FORMAT } from './report-folder';

/** How a pack named to `diff` is assessed: as `report` would, with the options given. */
export type DiffOptions = Omit<AssessOptions, 'asOf'> & {
  /** Whether --baseline was given: a report folder of another baseline is then refused. */
  baselineGiven: boolean;
  /** The first option given that only assessing a pack uses (`--catalog`...), or null: refused when neither side is a pack. */
  packOption: string | null;
};

/** Which of the two inputs, as error lines name it. */
type Which = 'OLD' | 'NEW';

/** Whether `dir` is an evidence pack or a report folder, by its manifest; `label` starts the error line (`diff OLD`). */
export async function folderKind(dir: string, label: string): Promise<'pack' | 'report'> {
  let format;
  try {
    format = (await readFileList(dir)).format;
  } catch (e) {
    throw new AuditpackError(`${label}: ${(e as Error).message}`);
  }
  if (format === PACK_FORMAT) return 'pack';
  if (format === REPORT_FORMAT) return 'report';
  throw new AuditpackError(`${label}: ${dir} is neither an evidence pack nor a report folder (its manifest is ${JSON.stringify(format)})`);
}

/** Assesses a pack as `report` would, with the options given (`diff`, `requests`). */
export async function assessPack(dir: string, options: AssessOptions): Promise<AssessmentResult> {
  const catalog = resolveCatalog(options.catalog);
  const mappings = loadMappings(catalog, { extraDir: options.mappings });
  const owners = options.owners?.(catalog);
  const pack = await openPack(dir);
  return assess({ pack, catalog, baseline: options.baseline, mappings, asOf: options.asOf, allowedRegions: options.allowedRegions, system: options.identity, owners, packLocation: dir });
}

/**
 * What the pack says beyond the result: every distinct failing result (the result keeps only
 * the first per control) and the rules deployed, streamed from the files the result hashed.
 */
async function fromPack(result: AssessmentResult, packDir: string, which: Which): Promise<Pick<DiffSide, 'failing' | 'rules' | 'processChecks'>> {
  const rows = await packRows(result, packDir);
  // Without the pack the findings would be only the capped ones in the result: a diff of them would be wrong.
  if (!rows.available) throw new AuditpackError(`diff ${which}: the evidence pack ${result.pack.packId} the report was made from is not at ${packDir}; diff reads every evaluation from it`);
  const failing = new Map<string, FailingResult>();
  for await (const { evaluation: e, ruleIdentifier, controlIds } of rows.evidence()) {
    if (e.complianceType !== 'NON_COMPLIANT' || ruleIdentifier === null || ruleIdentifier === PROCESS_CHECK_IDENTIFIER) continue;
    const region = GLOBAL_RESOURCE_TYPES.has(e.resourceType) ? null : e.region;
    const found: FailingResult = { sourceIdentifier: ruleIdentifier, accountId: e.accountId, region, resourceType: e.resourceType, resourceId: e.resourceId, controlIds: [...controlIds] };
    if (!failing.has(failingKey(found))) failing.set(failingKey(found), found);
  }
  const rules = new Set<string>();
  const processChecks = new Set<string>();
  for await (const r of rows.rules()) {
    if (r.sourceIdentifier === PROCESS_CHECK_IDENTIFIER) processChecks.add(templateName(r.ruleName));
    else rules.add(r.sourceIdentifier);
  }
  const byKey = [...failing.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { failing: byKey.map(([, f]) => f), rules: [...rules], processChecks: [...processChecks] };
}

async function loadSide(dir: string, source: DiffSide['source'], which: Which, options: DiffOptions): Promise<DiffSide> {
  if (source === 'pack') {
    const result = await assessPack(dir, options);
    return { dir, source, result, ...(await fromPack(result, dir, which)) };
  }
  const { file, result } = await loadReportResult(dir, `diff ${which}`);
  if (options.baselineGiven && result.baseline !== options.baseline) {
    throw new AuditpackError(`--baseline: ${options.baseline}, but the report ${dir} (${which}) assessed the ${result.baseline} baseline; diff compares one baseline`);
  }
  return { dir, source, result, ...(await fromPack(result, packOfResult(result, file, undefined), which)) };
}

/** `auditpack diff OLD NEW`: each a pack (assessed now) or a report folder (its result and pack). */
export async function diffFolders(oldDir: string, newDir: string, options: DiffOptions): Promise<AssessmentDiff> {
  const kinds = [await folderKind(oldDir, 'diff OLD'), await folderKind(newDir, 'diff NEW')];
  if (options.packOption && !kinds.includes('pack')) throw new AuditpackError(`--${options.packOption}: applies to assessing a pack, but OLD and NEW are both report folders`);
  const old = await loadSide(oldDir, kinds[0], 'OLD', options);
  const now = await loadSide(newDir, kinds[1], 'NEW', options);
  if (old.result.baseline !== now.result.baseline) {
    throw new AuditpackError(`diff: OLD assessed the ${old.result.baseline} baseline and NEW the ${now.result.baseline} baseline; diff compares one baseline (assess the pack with --baseline, or render the report again)`);
  }
  return diffAssessments(old, now);
}
