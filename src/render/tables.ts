import type { Changes } from '../assess/diff';
import { organisationOf } from './organisation';
import { IMPLEMENTATION_STATUSES } from '../assess/annex';
import {
  STATUSES,
  type AssessmentResult,
  type CollectionGapRef,
  type ControlAssessment,
  type ManualAttestation,
  type ManualException,
  type PackFileEntry,
} from '../assess/result';
import { RESPONSIBILITIES, SERVICE_CATEGORIES, type ServiceCategory } from '../mapping/responsibility';
import type { ComplianceType, Resource } from '../evidence/records';
import { dateCell, datetimeCell, type Cell } from './cells';
import { PACK_ROW_TABLES, type EvidenceRow, type PackRows } from './rows';
import { RESPONSIBILITY_LABELS, STATUS_LABELS } from './statuses';
import { evidenceRefsCell, mappingRationaleCell, ruleParametersCell } from './rule-trace';

/**
 * The tabular outputs. XLSX sheets and CSV files are both written from these definitions so
 * their column names (a documented interface that GRC imports join on: docs/csv-schema.md) can
 * never drift apart.
 */
export interface ColumnDef {
  name: string;
  /** Width in characters for the XLSX column. */
  width: number;
  /** Colour the XLSX cell by its value: an assessment status, or an AWS Config compliance type. */
  fill?: 'status' | 'compliance';
}

export interface Table {
  sheet: string;
  /** Path of the table's CSV file relative to the report folder. */
  csv: string;
  columns: readonly ColumnDef[];
  /** A fresh pass over the rows on every call, so each writer can stream them from the pack. */
  rows(): AsyncIterable<Cell[]>;
}

interface Column<R> extends ColumnDef {
  value: (row: R) => Cell;
}

function defineTable<R>(sheet: string, csv: string, columns: Column<R>[], source: () => AsyncIterable<R> | Iterable<R>): Table {
  return {
    sheet,
    csv,
    columns: columns.map(({ name, width, fill }) => (fill ? { name, width, fill } : { name, width })),
    async *rows() {
      for await (const row of source()) yield columns.map((c) => c.value(row));
    },
  };
}

/** Several values in one cell, separated by semicolons; none leaves the cell empty. */
const list = (values: readonly string[]): string | null => (values.length ? values.join(';') : null);

function complianceCount(c: ControlAssessment, type: ComplianceType): number {
  return c.evidence.rules.reduce((sum, r) => sum + r.counts[type], 0);
}

const categoryColumn = (category: ServiceCategory): Column<ControlAssessment> => ({
  name: `responsibility_${category}`,
  width: 16,
  value: (c) => c.responsibilityByCategory[category] ?? null,
});

const controlColumns: Column<ControlAssessment>[] = [
  { name: 'control_id', width: 22, value: (c) => c.id },
  { name: 'kind', width: 10, value: (c) => c.kind },
  { name: 'label', width: 9, value: (c) => c.label },
  { name: 'title', width: 30, value: (c) => c.title },
  { name: 'guideline', width: 34, value: (c) => c.guideline },
  { name: 'section', width: 30, value: (c) => c.section },
  { name: 'topic', width: 30, value: (c) => c.topic },
  { name: 'revision', width: 9, value: (c) => c.revision },
  { name: 'statement', width: 60, value: (c) => c.statement },
  { name: 'responsibility', width: 14, value: (c) => c.responsibility },
  ...SERVICE_CATEGORIES.map(categoryColumn),
  { name: 'status', width: 26, fill: 'status', value: (c) => c.status },
  { name: 'rationale', width: 70, value: (c) => c.rationale },
  { name: 'rule_identifiers', width: 40, value: (c) => list(c.evidence.rules.map((r) => r.sourceIdentifier)) },
  { name: 'compliant', width: 11, value: (c) => complianceCount(c, 'COMPLIANT') },
  { name: 'non_compliant', width: 14, value: (c) => complianceCount(c, 'NON_COMPLIANT') },
  { name: 'not_applicable', width: 14, value: (c) => complianceCount(c, 'NOT_APPLICABLE') },
  { name: 'insufficient_data', width: 17, value: (c) => complianceCount(c, 'INSUFFICIENT_DATA') },
  { name: 'findings_total', width: 14, value: (c) => c.evidence.findingsTotal },
  { name: 'attestation_ids', width: 20, value: (c) => list(c.evidence.attestations.map((a) => a.id)) },
  { name: 'exception_ids', width: 20, value: (c) => list(c.evidence.exceptions.map((e) => e.id)) },
  { name: 'report_ids', width: 24, value: (c) => list(c.evidence.reports.map((r) => r.id)) },
  { name: 'residency_findings', width: 18, value: (c) => c.evidence.residencyFindings },
  { name: 'failing_resources', width: 17, value: (c) => c.evidence.findingsTotal },
  { name: 'process_checks', width: 40, value: (c) => list(c.evidence.processChecks.map(processCheckCell)) },
  { name: 'aws_half', width: 12, value: (c) => (c.awsHalf === null ? null : c.awsHalf.evidenced ? 'evidenced' : 'missing') },
  { name: 'aws_half_rationale', width: 70, value: (c) => c.awsHalf?.rationale ?? null },
  { name: 'implementation', width: 18, value: (c) => c.implementation },
  { name: 'annex_responsibility', width: 20, value: (c) => c.annexResponsibility },
  { name: 'implementation_comments', width: 80, value: (c) => c.implementationComments },
  { name: 'mapping_rationale', width: 70, value: mappingRationaleCell },
  { name: 'rule_parameters', width: 40, value: ruleParametersCell },
  { name: 'evidence_refs', width: 40, value: evidenceRefsCell },
  // Last, so imports that read the earlier columns by position still do.
  { name: 'owner', width: 24, value: (c) => c.owner?.name ?? null },
  { name: 'owner_role', width: 24, value: (c) => c.owner?.role ?? null },
  { name: 'owner_email', width: 28, value: (c) => c.owner?.email ?? null },
];

/** One process check result in a cell: name, account, result, when recorded, and whether it has expired. */
function processCheckCell(p: ControlAssessment['evidence']['processChecks'][number]): string {
  return `${p.name} ${p.accountId} ${p.complianceType} ${p.resultRecordedTime}${p.expired ? ' expired' : ''}`;
}

const evidenceColumns: Column<EvidenceRow>[] = [
  { name: 'account_id', width: 15, value: (r) => r.evaluation.accountId },
  { name: 'region', width: 16, value: (r) => r.evaluation.region },
  { name: 'rule_name', width: 40, value: (r) => r.evaluation.ruleName },
  { name: 'rule_identifier', width: 40, value: (r) => r.ruleIdentifier },
  { name: 'control_ids', width: 24, value: (r) => list(r.controlIds) },
  { name: 'resource_type', width: 26, value: (r) => r.evaluation.resourceType },
  { name: 'resource_id', width: 40, value: (r) => r.evaluation.resourceId },
  { name: 'compliance_type', width: 18, fill: 'compliance', value: (r) => r.evaluation.complianceType },
  { name: 'annotation', width: 60, value: (r) => r.evaluation.annotation },
  { name: 'result_recorded_time', width: 20, value: (r) => datetimeCell(r.evaluation.resultRecordedTime) },
  { name: 'config_rule_invoked_time', width: 20, value: (r) => datetimeCell(r.evaluation.configRuleInvokedTime) },
];

type UnmappedRule = AssessmentResult['unmappedRules'][number];
const unmappedColumns: Column<UnmappedRule>[] = [
  { name: 'rule_identifier', width: 40, value: (r) => r.sourceIdentifier },
  { name: 'process_check', width: 36, value: (r) => r.processCheck },
  { name: 'deployments', width: 12, value: (r) => r.deployments },
  { name: 'compliant', width: 11, value: (r) => r.counts.COMPLIANT },
  { name: 'non_compliant', width: 14, value: (r) => r.counts.NON_COMPLIANT },
  { name: 'not_applicable', width: 14, value: (r) => r.counts.NOT_APPLICABLE },
  { name: 'insufficient_data', width: 17, value: (r) => r.counts.INSUFFICIENT_DATA },
  { name: 'reason', width: 70, value: (r) => r.reason ?? 'Not in the rule mappings: add it to config-rules.yaml of a --mappings folder.' },
];

/** Service category of each resource type in use, as the assessment classified it. */
function categoryIndex(result: AssessmentResult): Map<string, ServiceCategory> {
  return new Map(result.servicesInUse.flatMap((s) => s.resourceTypes.map((t) => [t, s.category] as const)));
}

function resourceColumns(result: AssessmentResult): Column<Resource>[] {
  const categories = categoryIndex(result);
  const allowed = new Set(result.dataResidency.allowedRegions);
  return [
    { name: 'account_id', width: 15, value: (r) => r.accountId },
    { name: 'region', width: 16, value: (r) => r.region },
    { name: 'resource_type', width: 30, value: (r) => r.resourceType },
    { name: 'resource_id', width: 40, value: (r) => r.resourceId },
    { name: 'resource_name', width: 30, value: (r) => r.resourceName },
    { name: 'arn', width: 60, value: (r) => r.arn },
    { name: 'service_category', width: 16, value: (r) => categories.get(r.resourceType) ?? null },
    { name: 'in_allowed_region', width: 17, value: (r) => allowed.has(r.region) },
  ];
}

function residencyColumns(result: AssessmentResult): Column<Resource>[] {
  const controls = list(result.dataResidency.controls);
  return [
    { name: 'account_id', width: 15, value: (r) => r.accountId },
    { name: 'region', width: 16, value: (r) => r.region },
    { name: 'resource_type', width: 30, value: (r) => r.resourceType },
    { name: 'resource_id', width: 40, value: (r) => r.resourceId },
    { name: 'resource_name', width: 30, value: (r) => r.resourceName },
    { name: 'arn', width: 60, value: (r) => r.arn },
    { name: 'control_ids', width: 24, value: () => controls },
  ];
}

type Account = AssessmentResult['pack']['scope']['accounts'][number];
const accountColumns: Column<Account>[] = [
  { name: 'account_id', width: 15, value: (a) => a.accountId },
  { name: 'account_name', width: 40, value: (a) => a.name },
];

interface InheritedRow {
  control: ControlAssessment;
  report: ControlAssessment['evidence']['reports'][number] | null;
}

/** One row per inherited control and Artifact report evidencing it; a control with none gets one row without a report. */
function* inheritedRows(result: AssessmentResult): Generator<InheritedRow> {
  for (const control of result.controls) {
    if (control.responsibility !== 'inherited') continue;
    if (!control.evidence.reports.length) yield { control, report: null };
    for (const report of control.evidence.reports) yield { control, report };
  }
}

const inheritedColumns: Column<InheritedRow>[] = [
  { name: 'control_id', width: 22, value: (r) => r.control.id },
  { name: 'guideline', width: 34, value: (r) => r.control.guideline },
  { name: 'section', width: 30, value: (r) => r.control.section },
  { name: 'status', width: 26, fill: 'status', value: (r) => r.control.status },
  { name: 'report_id', width: 26, value: (r) => r.report?.id ?? null },
  { name: 'report_name', width: 60, value: (r) => r.report?.name ?? null },
  { name: 'report_series', width: 16, value: (r) => r.report?.series ?? null },
  { name: 'report_version', width: 15, value: (r) => r.report?.version ?? null },
  { name: 'period_start', width: 13, value: (r) => dateCell(r.report?.period?.start) },
  { name: 'period_end', width: 13, value: (r) => dateCell(r.report?.period?.end) },
  { name: 'report_file_sha256', width: 66, value: (r) => r.report?.attachmentSha256 ?? null },
];

const attachmentList = (attachments: readonly { name: string; sha256: string }[]): string | null => list(attachments.map((a) => `${a.name} sha256:${a.sha256}`));

const attestationColumns: Column<ManualAttestation>[] = [
  { name: 'attestation_id', width: 18, value: (a) => a.id },
  { name: 'control_ids', width: 24, value: (a) => list(a.controlIds) },
  { name: 'state', width: 10, value: (a) => a.state },
  { name: 'attester', width: 26, value: (a) => a.attester },
  { name: 'attested_on', width: 12, value: (a) => dateCell(a.attestedOn) },
  { name: 'valid_until', width: 12, value: (a) => dateCell(a.validUntil) },
  { name: 'statement', width: 70, value: (a) => a.statement },
  { name: 'implementation', width: 18, value: (a) => a.implementation ?? null },
  { name: 'attachments', width: 60, value: (a) => attachmentList(a.attachments) },
];

const exceptionColumns: Column<ManualException>[] = [
  { name: 'exception_id', width: 18, value: (e) => e.id },
  { name: 'control_ids', width: 24, value: (e) => list(e.controlIds) },
  { name: 'state', width: 10, value: (e) => e.state },
  { name: 'owner', width: 26, value: (e) => e.owner },
  { name: 'approved_by', width: 26, value: (e) => e.approvedBy },
  { name: 'approved_on', width: 12, value: (e) => dateCell(e.approvedOn) },
  { name: 'expires_on', width: 12, value: (e) => dateCell(e.expiresOn) },
  { name: 'rationale', width: 70, value: (e) => e.rationale },
  { name: 'attachments', width: 60, value: (e) => attachmentList(e.attachments) },
];

type PracticeRow = AssessmentResult['practices'][number];
const practiceColumns: Column<PracticeRow>[] = [
  { name: 'service', width: 14, value: (p) => p.serviceTitle },
  { name: 'practice', width: 28, value: (p) => p.name },
  { name: 'description', width: 60, value: (p) => p.description },
  { name: 'status', width: 14, value: (p) => p.status },
  { name: 'rationale', width: 70, value: (p) => p.rationale },
  { name: 'rules_deployed', width: 40, value: (p) => list(p.rulesDeployed) },
  { name: 'rules_to_deploy', width: 40, value: (p) => list(p.rulesToDeploy) },
  { name: 'manual_evidence', width: 50, value: (p) => p.manualEvidence },
  { name: 'control_ids', width: 24, value: (p) => list(p.controls) },
  { name: 'compliant_resources', width: 20, value: (p) => p.resources.compliant },
  { name: 'non_compliant_resources', width: 24, value: (p) => p.resources.nonCompliant },
  { name: 'non_compliant_by_account', width: 40, value: (p) => list(p.byAccount.filter((a) => a.nonCompliant).map((a) => `${a.accountId}:${a.nonCompliant}`)) },
];

const gapColumns: Column<CollectionGapRef>[] = [
  { name: 'collector', width: 16, value: (g) => g.collector },
  { name: 'service', width: 12, value: (g) => g.service },
  { name: 'operation', width: 36, value: (g) => g.operation },
  { name: 'account_id', width: 15, value: (g) => g.accountId },
  { name: 'region', width: 16, value: (g) => g.region },
  { name: 'error_code', width: 24, value: (g) => g.errorCode },
  { name: 'message', width: 80, value: (g) => g.message },
];

interface ChangeRow {
  kind: 'account' | 'region' | 'service_category' | 'resource_type' | 'control';
  item: string;
  change: 'added' | 'removed' | 'changed';
  earlier: string | null;
  current: string | null;
}

/** Every difference from the earlier report; nothing without `--compare`. */
function* changeRows(changes: Changes | null): Generator<ChangeRow> {
  if (!changes) return;
  for (const a of changes.accounts.added) yield { kind: 'account', item: a.accountId, change: 'added', earlier: null, current: a.name };
  for (const a of changes.accounts.removed) yield { kind: 'account', item: a.accountId, change: 'removed', earlier: a.name, current: null };
  const plain = (kind: ChangeRow['kind'], set: { added: string[]; removed: string[] }): ChangeRow[] => [
    ...set.added.map((item): ChangeRow => ({ kind, item, change: 'added', earlier: null, current: null })),
    ...set.removed.map((item): ChangeRow => ({ kind, item, change: 'removed', earlier: null, current: null })),
  ];
  yield* plain('region', changes.regions);
  yield* plain('service_category', changes.categories);
  yield* plain('resource_type', changes.resourceTypes);
  for (const c of changes.controls) {
    yield { kind: 'control', item: c.id, change: c.earlier === null ? 'added' : c.current === null ? 'removed' : 'changed', earlier: c.earlier, current: c.current };
  }
}

const changeColumns: Column<ChangeRow>[] = [
  { name: 'kind', width: 16, value: (c) => c.kind },
  { name: 'item', width: 30, value: (c) => c.item },
  { name: 'change', width: 10, value: (c) => c.change },
  { name: 'earlier', width: 26, value: (c) => c.earlier },
  { name: 'current', width: 26, value: (c) => c.current },
];

const manifestColumns: Column<PackFileEntry>[] = [
  { name: 'path', width: 40, value: (f) => f.path },
  { name: 'description', width: 60, value: (f) => f.description },
  { name: 'bytes', width: 12, value: (f) => f.bytes },
  { name: 'records', width: 10, value: (f) => f.records },
  { name: 'sha256', width: 66, value: (f) => f.sha256 },
];

export const SAMPLE_NOTICE = 'SAMPLE DATA: made from the built-in sample estate; it describes no real system and is not audit evidence.';

/** Everything the tables are made from. */
export interface TableContext {
  result: AssessmentResult;
  /** The rows streamed from the pack, or why they are left out. */
  rows: PackRows;
  marking: string;
  system: string | null;
  changes: Changes | null;
}

function summaryItems({ result, rows, marking, system, changes }: TableContext): [string, Cell][] {
  const { pack, totals } = result;
  const item = (key: string, value: Cell): [string, Cell] => [key, value];
  return [
    ...(pack.sample ? [item('Sample data', SAMPLE_NOTICE)] : []),
    ...(rows.available ? [] : [item('Evidence rows left out', rows.reason)]),
    item('Protective marking', marking),
    item('Organisation', organisationOf(result)),
    item('System', system),
    item('Period', pack.period),
    item('Baseline', result.baseline),
    item('ISM catalog version', result.catalog.version),
    item('ISM catalog source', result.catalog.source),
    item('Control statements loaded', result.catalog.statementsLoaded),
    item('Assessed as of', dateCell(result.asOf)),
    item('Evidence collected from', datetimeCell(pack.startedAt)),
    item('Evidence collected to', datetimeCell(pack.completedAt)),
    item('Pack id', pack.packId),
    item('Pack manifest SHA-256', pack.manifestSha256),
    item('Tool', `${result.tool.name} ${result.tool.version}`),
    item('Compared with pack id', changes?.earlier.packId ?? null),
    item('Compared with pack manifest SHA-256', changes?.earlier.manifestSha256 ?? null),
    item('Compared with period', changes?.earlier.period ?? null),
    item('Accounts in scope', pack.scope.accounts.length),
    item('Regions in scope', pack.scope.regions.join(';')),
    item('Allowed regions (data residency)', result.dataResidency.allowedRegions.join(';')),
    item('Controls assessed', totals.controls),
    ...STATUSES.map((s) => item(`Status: ${STATUS_LABELS[s]}`, totals.byStatus[s])),
    ...RESPONSIBILITIES.map((r) => item(`Responsibility: ${RESPONSIBILITY_LABELS[r]}`, totals.byResponsibility[r])),
    ...IMPLEMENTATION_STATUSES.map((i) => item(`SSP annex implementation: ${i}`, totals.byImplementation[i])),
    item('Evaluations: compliant', totals.evaluations.COMPLIANT),
    item('Evaluations: non-compliant', totals.evaluations.NON_COMPLIANT),
    item('Evaluations: not applicable', totals.evaluations.NOT_APPLICABLE),
    item('Evaluations: insufficient data', totals.evaluations.INSUFFICIENT_DATA),
    item('Resources in inventory', totals.resources),
    item('Resources outside the allowed regions', result.dataResidency.total),
    item('Practices not followed or not evidenced', result.practices.filter((p) => p.status !== 'followed').length),
    item('Collection gaps', pack.gaps.length),
    item('Distinct results: compliant', totals.results.COMPLIANT),
    item('Distinct results: non-compliant', totals.results.NON_COMPLIANT),
    item('Distinct results: not applicable', totals.results.NOT_APPLICABLE),
    item('Distinct results: insufficient data', totals.results.INSUFFICIENT_DATA),
    item('Rules deployed, not mapped', result.unmappedRules.length),
    item("Shared controls whose AWS half no report evidences", result.controls.filter((c) => c.responsibility === 'shared' && c.awsHalf?.evidenced === false).length),
  ];
}

const summaryColumns: Column<[string, Cell]>[] = [
  { name: 'item', width: 36, value: ([key]) => key },
  { name: 'value', width: 80, value: ([, value]) => value },
];

/** The report's tables in workbook order; each is also one CSV file. */
export function reportTables(ctx: TableContext): Table[] {
  const { result, rows } = ctx;
  const manual = result.manualEvidence;
  // Tables of an absent pack are dropped below; their sources are never read.
  const none = (): never[] => [];
  const pack = rows.available ? rows : { evidence: none, resources: none, outsideRegions: none };
  const tables = [
    defineTable('Summary', 'csv/summary.csv', summaryColumns, () => summaryItems(ctx)),
    defineTable('Controls', 'csv/controls.csv', controlColumns, () => result.controls),
    defineTable('Evidence', 'csv/evidence.csv', evidenceColumns, () => pack.evidence()),
    defineTable('Resources', 'csv/resources.csv', resourceColumns(result), () => pack.resources()),
    defineTable('Accounts', 'csv/accounts.csv', accountColumns, () => result.pack.scope.accounts),
    defineTable('Practices', 'csv/practices.csv', practiceColumns, () => result.practices),
    defineTable('Inherited', 'csv/inherited.csv', inheritedColumns, () => inheritedRows(result)),
    defineTable('Attestations', 'csv/attestations.csv', attestationColumns, () => manual.attestations),
    defineTable('Exceptions', 'csv/exceptions.csv', exceptionColumns, () => manual.exceptions),
    defineTable('Gaps', 'csv/gaps.csv', gapColumns, () => result.pack.gaps),
    defineTable('Data residency', 'csv/data-residency.csv', residencyColumns(result), () => pack.outsideRegions()),
    defineTable('Changes', 'csv/changes.csv', changeColumns, () => changeRows(ctx.changes)),
    defineTable('Manifest', 'csv/manifest.csv', manifestColumns, () => result.pack.files),
    defineTable('Deployed, not mapped', 'csv/unmapped-rules.csv', unmappedColumns, () => result.unmappedRules),
  ];
  // Without the pack its tables are left out rather than written empty, which would read as "no evaluations".
  return rows.available ? tables : tables.filter((t) => !(PACK_ROW_TABLES as readonly string[]).includes(t.csv));
}
