import { RESPONSIBILITIES, STATUSES, type AssessmentResult, type ControlAssessment } from '../assess/result';
import type { EvidencePack } from '../evidence/reader';
import type { ComplianceType, Evaluation } from '../evidence/records';
import type { CollectionGap } from '../evidence/manifest';
import type { Cell } from './cells';
import type { ManualEvidence } from './manual';
import { RESPONSIBILITY_LABELS, STATUS_LABELS } from './statuses';

/**
 * The tabular outputs. XLSX sheets and CSV files are both written from these definitions so
 * their column names (a documented interface that GRC imports join on) can never drift apart.
 */
export interface ColumnDef {
  name: string;
  /** Width in characters for the XLSX column. */
  width: number;
}

export interface Table {
  sheet: string;
  /** Path of the table's CSV file relative to the report folder; null for workbook-only tables. */
  csv: string | null;
  columns: readonly ColumnDef[];
  /** A fresh pass over the rows on every call, so each writer can stream them from the pack. */
  rows(): AsyncIterable<Cell[]>;
}

interface Column<R> extends ColumnDef {
  value: (row: R) => Cell;
}

function defineTable<R>(sheet: string, csv: string | null, columns: Column<R>[], source: () => AsyncIterable<R> | Iterable<R>): Table {
  return {
    sheet,
    csv,
    columns: columns.map(({ name, width }) => ({ name, width })),
    async *rows() {
      for await (const row of source()) yield columns.map((c) => c.value(row));
    },
  };
}

/** Several values in one cell (semicolons survive every CSV delimiter users pick); none leaves the cell empty. */
const list = (values: readonly string[]): string | null => (values.length ? values.join(';') : null);

function complianceCount(c: ControlAssessment, type: ComplianceType): number {
  return c.evidence.rules.reduce((sum, r) => sum + r.counts[type], 0);
}

const controlColumns: Column<ControlAssessment>[] = [
  { name: 'control_id', width: 22, value: (c) => c.id },
  { name: 'guideline', width: 34, value: (c) => c.guideline },
  { name: 'section', width: 30, value: (c) => c.section },
  { name: 'topic', width: 30, value: (c) => c.topic },
  { name: 'responsibility', width: 14, value: (c) => c.responsibility },
  { name: 'status', width: 26, value: (c) => c.status },
  { name: 'rationale', width: 70, value: (c) => c.rationale },
  { name: 'compliant', width: 11, value: (c) => complianceCount(c, 'COMPLIANT') },
  { name: 'non_compliant', width: 14, value: (c) => complianceCount(c, 'NON_COMPLIANT') },
  { name: 'not_applicable', width: 14, value: (c) => complianceCount(c, 'NOT_APPLICABLE') },
  { name: 'insufficient_data', width: 17, value: (c) => complianceCount(c, 'INSUFFICIENT_DATA') },
  { name: 'findings_total', width: 14, value: (c) => c.evidence.findingsTotal },
  { name: 'attestation_ids', width: 20, value: (c) => list(c.evidence.attestations.map((a) => a.id)) },
  { name: 'exception_ids', width: 20, value: (c) => list(c.evidence.exceptions.map((e) => e.id)) },
  { name: 'report_ids', width: 20, value: (c) => list(c.evidence.reports.map((r) => r.id)) },
];

interface EvidenceRow {
  evaluation: Evaluation;
  ruleIdentifier: string | null;
  controlIds: readonly string[];
}

const evidenceColumns: Column<EvidenceRow>[] = [
  { name: 'account_id', width: 15, value: (r) => r.evaluation.accountId },
  { name: 'region', width: 16, value: (r) => r.evaluation.region },
  { name: 'rule_name', width: 40, value: (r) => r.evaluation.ruleName },
  { name: 'rule_identifier', width: 40, value: (r) => r.ruleIdentifier },
  { name: 'control_ids', width: 24, value: (r) => list(r.controlIds) },
  { name: 'resource_type', width: 26, value: (r) => r.evaluation.resourceType },
  { name: 'resource_id', width: 40, value: (r) => r.evaluation.resourceId },
  { name: 'compliance_type', width: 18, value: (r) => r.evaluation.complianceType },
  { name: 'annotation', width: 60, value: (r) => r.evaluation.annotation },
  { name: 'result_recorded_time', width: 26, value: (r) => r.evaluation.resultRecordedTime },
];

const locationKey = (r: { accountId: string; region: string; ruleName: string }): string => `${r.accountId}\n${r.region}\n${r.ruleName}`;

/** Every evaluation in the pack, labelled with its managed rule and the controls that rule evidences. */
async function* evidenceRows(result: AssessmentResult, pack: EvidencePack): AsyncGenerator<EvidenceRow> {
  // Rule names differ per deployment; mappings key on the identifier, which only the rule records carry.
  const identifiers = new Map<string, string>();
  for await (const rule of pack.records('configRules')) identifiers.set(locationKey(rule), rule.sourceIdentifier);
  for await (const evaluation of pack.records('evaluations')) {
    const ruleIdentifier = identifiers.get(locationKey(evaluation)) ?? null;
    const controlIds = ruleIdentifier !== null && Object.hasOwn(result.ruleControls, ruleIdentifier) ? result.ruleControls[ruleIdentifier] : [];
    yield { evaluation, ruleIdentifier, controlIds };
  }
}

const attachmentList = (attachments: readonly { name: string; sha256: string }[]): string | null => list(attachments.map((a) => `${a.name} sha256:${a.sha256}`));

type AttestationRow = ManualEvidence['attestations'][number];
const attestationColumns: Column<AttestationRow>[] = [
  { name: 'attestation_id', width: 18, value: (a) => a.id },
  { name: 'control_ids', width: 24, value: (a) => list(a.controlIds) },
  { name: 'state', width: 10, value: (a) => a.state },
  { name: 'attester', width: 26, value: (a) => a.attester },
  { name: 'attested_on', width: 12, value: (a) => a.attestedOn },
  { name: 'valid_until', width: 12, value: (a) => a.validUntil },
  { name: 'statement', width: 70, value: (a) => a.statement },
  { name: 'attachments', width: 60, value: (a) => attachmentList(a.attachments) },
];

type ExceptionRow = ManualEvidence['exceptions'][number];
const exceptionColumns: Column<ExceptionRow>[] = [
  { name: 'exception_id', width: 18, value: (e) => e.id },
  { name: 'control_ids', width: 24, value: (e) => list(e.controlIds) },
  { name: 'state', width: 10, value: (e) => e.state },
  { name: 'owner', width: 26, value: (e) => e.owner },
  { name: 'approved_by', width: 26, value: (e) => e.approvedBy },
  { name: 'approved_on', width: 12, value: (e) => e.approvedOn },
  { name: 'expires_on', width: 12, value: (e) => e.expiresOn },
  { name: 'rationale', width: 70, value: (e) => e.rationale },
  { name: 'attachments', width: 60, value: (e) => attachmentList(e.attachments) },
];

const gapColumns: Column<CollectionGap>[] = [
  { name: 'collector', width: 16, value: (g) => g.collector },
  { name: 'service', width: 12, value: (g) => g.service },
  { name: 'operation', width: 36, value: (g) => g.operation },
  { name: 'account_id', width: 15, value: (g) => g.accountId },
  { name: 'region', width: 16, value: (g) => g.region },
  { name: 'error_code', width: 24, value: (g) => g.errorCode },
  { name: 'message', width: 80, value: (g) => g.message },
];

const SAMPLE_NOTICE = 'SAMPLE DATA: made from the built-in sample estate; it describes no real system and is not audit evidence.';

function summaryItems(result: AssessmentResult, marking: string): [string, Cell][] {
  const { pack, totals } = result;
  return [
    ...(pack.sample ? [['Sample data', SAMPLE_NOTICE] as [string, Cell]] : []),
    ['Protective marking', marking],
    ['Organisation', pack.organisation],
    ['Period', pack.period],
    ['Baseline', result.baseline],
    ['ISM catalog version', result.catalog.version],
    ['ISM catalog source', result.catalog.source],
    ['Assessed as of', result.asOf],
    ['Evidence collected from', pack.startedAt],
    ['Evidence collected to', pack.completedAt],
    ['Pack id', pack.packId],
    ['Pack manifest SHA-256', pack.manifestSha256],
    ['Tool', `${result.tool.name} ${result.tool.version}`],
    ['Controls assessed', totals.controls],
    ...STATUSES.map((s): [string, Cell] => [`Status: ${STATUS_LABELS[s]}`, totals.byStatus[s]]),
    ...RESPONSIBILITIES.map((r): [string, Cell] => [`Responsibility: ${RESPONSIBILITY_LABELS[r]}`, totals.byResponsibility[r]]),
    ['Evaluations: compliant', totals.evaluations.COMPLIANT],
    ['Evaluations: non-compliant', totals.evaluations.NON_COMPLIANT],
    ['Evaluations: not applicable', totals.evaluations.NOT_APPLICABLE],
    ['Evaluations: insufficient data', totals.evaluations.INSUFFICIENT_DATA],
    ['Resources evaluated', totals.resources],
    ['Collection gaps', pack.gaps.length],
  ];
}

const summaryColumns: Column<[string, Cell]>[] = [
  { name: 'item', width: 32, value: ([key]) => key },
  { name: 'value', width: 80, value: ([, value]) => value },
];

/** The report's tables in workbook order. */
export function reportTables(result: AssessmentResult, pack: EvidencePack, manual: ManualEvidence, marking: string): Table[] {
  return [
    defineTable('Summary', null, summaryColumns, () => summaryItems(result, marking)),
    defineTable('Controls', 'csv/controls.csv', controlColumns, () => result.controls),
    defineTable('Evidence', 'csv/evidence.csv', evidenceColumns, () => evidenceRows(result, pack)),
    defineTable('Attestations', 'csv/attestations.csv', attestationColumns, () => manual.attestations),
    defineTable('Exceptions', 'csv/exceptions.csv', exceptionColumns, () => manual.exceptions),
    defineTable('Gaps', 'csv/gaps.csv', gapColumns, () => result.pack.gaps),
  ];
}
