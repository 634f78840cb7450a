import type { Changes, ControlChange } from '../assess/diff';
import { IMPLEMENTATION_STATUSES } from '../assess/annex';
import { STATUSES, type AssessmentResult, type ComplianceCounts, type ControlAssessment, type ManualState, type Status } from '../assess/result';
import { STATUS_TABLE } from '../assess/status-table';
import { RESPONSIBILITIES, SERVICE_CATEGORIES, type Responsibility, type ServiceCategory } from '../mapping/responsibility';
import { ATTACHMENTS_DIR } from '../evidence/kinds';
import { wrapsAtUnderscores } from './display-text';
import { markingBelowBaseline } from './marking';
import type { PageNumbers } from './pdf';
import { practicesNeedingAction, practicesView } from './practices-view';
import { parametersText } from './rule-trace';
import {
  ATTENTION_STATUSES,
  CATEGORY_LABELS,
  CATEGORY_NOTES,
  EVIDENCED_STATUSES,
  needsAttention,
  RESPONSIBILITY_LABELS,
  STATUS_DEFINITIONS,
  STATUS_LABELS,
} from './statuses';

/**
 * Bounds on every list in the PDF and HTML, so the page count grows with the baseline and not
 * with the estate: the complete lists are in the XLSX and CSV files, and each cut list says so.
 */
export const LIMITS = {
  findingsPerControl: 5,
  attention: 25,
  accounts: 40,
  unrecorded: 20,
  resourceTypesPerCategory: 14,
  attestations: 60,
  exceptions: 60,
  gaps: 40,
  residencyResources: 20,
  files: 120,
  changesPerList: 12,
  unmappedRules: 20,
  annotationChars: 220,
} as const;

/** Everything the report shows: the result, and how it is to be presented. */
export interface ReportInput {
  result: AssessmentResult;
  marking: string;
  system: string | null;
  changes: Changes | null;
  /** Why the pack's Evidence and Resources tables are left out of the report; null when they are in it. */
  rowsNote: string | null;
}

// ---------------------------------------------------------------------------------------------
// Wording helpers

/** 1234567 -> "1,234,567", the same on every machine (no locale data involved). */
export const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** An ISO timestamp as a reader wants it: "2026-11-16 22:03 UTC". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = d.toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)} UTC`;
}

const percent = (n: number, of: number): string => (of === 0 ? '–' : n > 0 && n / of < 0.005 ? '<1%' : `${Math.round((n / of) * 100)}%`);

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

const more = (n: number, where: string): string | null => (n > 0 ? `and ${num(n)} more: see ${where}` : null);

const statusView = (status: Status) => ({ label: STATUS_LABELS[status], cls: `st-${status}` });

const COMPLIANCE_WORDS: Record<keyof ComplianceCounts, string> = {
  COMPLIANT: 'compliant',
  NON_COMPLIANT: 'non-compliant',
  NOT_APPLICABLE: 'not applicable',
  INSUFFICIENT_DATA: 'insufficient data',
};

function countsText(counts: ComplianceCounts): string {
  const parts = (Object.keys(COMPLIANCE_WORDS) as (keyof ComplianceCounts)[]).filter((k) => counts[k] > 0).map((k) => `${num(counts[k])} ${COMPLIANCE_WORDS[k]}`);
  return parts.length ? parts.join(', ') : 'no evaluations';
}

const XLSX = (sheet: string, csv: string) => `the ${sheet} sheet of report.xlsx (csv/${csv})`;

// ---------------------------------------------------------------------------------------------
// Charts: stacked bars drawn from precomputed segments (the templates do no maths). Each bar
// names its whole mix in words for screen readers, prints the count inside every segment wide
// enough to hold it, and sits by a legend, so that no reader has to tell statuses by colour.

interface Segment {
  cls: string;
  /** Percent of the bar's width. */
  width: string;
  /** The count printed inside the segment, or null where the segment is too narrow for it. */
  count: string | null;
}

export interface Bar {
  /** The mix in words: "Non-compliant 40, Not assessed 855". */
  label: string;
  segments: Segment[];
}

/** Narrower segments than this (percent of the bar) leave their count to the label and legend. */
export const BAR_LABEL_MIN_WIDTH = 7;

/** A 100-unit-wide bar of the statuses that occur, in status order. */
function bar(counts: ReadonlyMap<Status, number>, total: number): Bar {
  const present = STATUSES.filter((s) => (counts.get(s) ?? 0) > 0 && total > 0);
  return {
    label: present.map((s) => `${STATUS_LABELS[s]} ${num(counts.get(s)!)}`).join(', ') || 'No controls',
    segments: present.map((s) => {
      const width = (counts.get(s)! / total) * 100;
      return { cls: `st-${s}`, width: width.toFixed(3), count: width >= BAR_LABEL_MIN_WIDTH ? num(counts.get(s)!) : null };
    }),
  };
}

function tally(controls: readonly ControlAssessment[]): Map<Status, number> {
  const out = new Map<Status, number>();
  for (const c of controls) out.set(c.status, (out.get(c.status) ?? 0) + 1);
  return out;
}

const sumOf = (counts: ReadonlyMap<Status, number>, statuses: readonly Status[]) => statuses.reduce((n, s) => n + (counts.get(s) ?? 0), 0);

function breakdown(controls: readonly ControlAssessment[]) {
  const counts = tally(controls);
  return {
    total: num(controls.length),
    attention: num(sumOf(counts, ATTENTION_STATUSES)),
    evidenced: num(sumOf(counts, EVIDENCED_STATUSES)),
    accepted: num(counts.get('risk-accepted') ?? 0),
    notAssessed: num(counts.get('not-assessed') ?? 0),
    bar: bar(counts, controls.length),
  };
}

// ---------------------------------------------------------------------------------------------
// Document structure: numbered parts, guidelines and sections, each an anchor the contents and
// bookmarks point at.

export interface OutlineEntry {
  id: string;
  number: string;
  title: string;
  level: 1 | 2 | 3;
}

interface SectionGroup {
  id: string;
  number: string;
  title: string;
  controls: ControlAssessment[];
}

interface GuidelineGroup extends SectionGroup {
  sections: SectionGroup[];
}

/** Groups in order of first appearance, so each guideline and section appears once even if the result interleaves them. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups];
}

const CONTROLS_PART = '6';

function guidelineTree(controls: readonly ControlAssessment[]): GuidelineGroup[] {
  return groupBy(controls, (c) => c.guideline).map(([title, items], g) => {
    const number = `${CONTROLS_PART}.${g + 1}`;
    const id = `g-${g + 1}`;
    return {
      id,
      number,
      title,
      controls: items,
      sections: groupBy(items, (c) => c.section).map(([section, inSection], s) => ({ id: `${id}-${s + 1}`, number: `${number}.${s + 1}`, title: section, controls: inSection })),
    };
  });
}

const PARTS = [
  { id: 'summary', number: '1', title: 'Executive summary' },
  { id: 'practices', number: '2', title: 'Service security practices' },
  { id: 'scope', number: '3', title: 'Scope and evidence' },
  { id: 'responsibility', number: '4', title: 'Shared responsibility' },
  { id: 'inherited', number: '5', title: 'Inherited controls and AWS Artifact reports' },
  { id: 'controls', number: CONTROLS_PART, title: 'Control assessments' },
  { id: 'attestations', number: '7', title: 'Attestations' },
  { id: 'exceptions', number: '8', title: 'Risk acceptances' },
  { id: 'gaps', number: '9', title: 'Collection gaps' },
  { id: 'residency', number: '10', title: 'Data residency' },
  { id: 'appendix-method', number: '', title: 'Appendix A: Method' },
  { id: 'appendix-statuses', number: '', title: 'Appendix B: Status definitions' },
  { id: 'appendix-files', number: '', title: 'Appendix C: Evidence pack manifest' },
] as const;
type PartId = (typeof PARTS)[number]['id'];

const part = (id: PartId) => {
  const p = PARTS.find((x) => x.id === id)!;
  return { id: p.id, number: p.number, title: p.title };
};
/** "part 6": cross-references follow the parts list, so adding a part renumbers them all. */
const partRef = (id: PartId) => `part ${part(id).number}`;

/** The contents: every part, and under the control assessments every guideline and section. */
export function reportOutline(result: AssessmentResult): OutlineEntry[] {
  const tree = guidelineTree(result.controls);
  return PARTS.flatMap((p): OutlineEntry[] => [
    { id: p.id, number: p.number, title: p.title, level: 1 },
    ...(p.id === 'controls'
      ? tree.flatMap((g): OutlineEntry[] => [
          { id: g.id, number: g.number, title: g.title, level: 2 },
          ...g.sections.map((s): OutlineEntry => ({ id: s.id, number: s.number, title: s.title, level: 3 })),
        ])
      : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Parts of the report

function coverView(input: ReportInput) {
  const { result, system, changes } = input;
  const info = result.pack;
  return {
    organisation: info.organisation ?? 'Organisation not named in the evidence pack',
    system: system ?? null,
    period: info.period,
    baseline: result.baseline,
    catalog: `ISM ${result.catalog.version}`,
    catalogSource: result.catalog.source,
    statements: result.catalog.statementsLoaded ? 'Included from the official catalog' : 'Not included: the built-in index holds no statement text',
    asOf: result.asOf,
    collected: `${formatTime(info.startedAt)} to ${formatTime(info.completedAt)}`,
    scope: `${plural(info.scope.accounts.length, 'AWS account', 'AWS accounts')}; ${plural(info.scope.regions.length, 'region', 'regions')}`,
    packId: info.packId,
    manifestSha256: info.manifestSha256,
    tool: `${result.tool.name} ${result.tool.version}`,
    compared: changes ? { packId: changes.earlier.packId, period: changes.earlier.period, manifestSha256: changes.earlier.manifestSha256 } : null,
    markingNote: markingBelowBaseline(input.marking, result.baseline),
  };
}

function summaryText(input: ReportInput): string[] {
  const { result, system } = input;
  const { pack: info, totals } = result;
  const by = totals.byStatus;
  const phrase = (statuses: readonly Status[]) => joinAnd(statuses.filter((s) => by[s] > 0).map((s) => `${num(by[s])} ${STATUS_TABLE[s].phrase}`));
  const needing = practicesNeedingAction(result.practices).length;
  const attention = ATTENTION_STATUSES.reduce((n, s) => n + by[s], 0);
  const evidenced = EVIDENCED_STATUSES.reduce((n, s) => n + by[s], 0);
  const subject = system ? `${system} of ${info.organisation ?? 'the organisation'}` : (info.organisation ?? 'the organisation');
  const paragraphs = [
    `This report assesses ${subject} against the ${result.baseline} baseline of the Information Security Manual (ISM release ${result.catalog.version}), ` +
      `using evidence collected from ${plural(info.scope.accounts.length, 'AWS account', 'AWS accounts')} in ${plural(info.scope.regions.length, 'region', 'regions')} ` +
      `between ${formatTime(info.startedAt)} and ${formatTime(info.completedAt)}. All ${num(totals.controls)} controls and principles of the baseline are listed in ${partRef('controls')}.`,
    attention
      ? `${plural(attention, 'control needs', 'controls need')} attention: ${phrase(ATTENTION_STATUSES)}.`
      : 'No control is non-compliant or short of the evidence it needs.',
    [
      evidenced ? `${plural(evidenced, 'control is', 'controls are')} supported by evidence: ${phrase(EVIDENCED_STATUSES)}.` : 'No control is yet supported by evidence that it is met.',
      by['risk-accepted'] ? `${plural(by['risk-accepted'], 'control is', 'controls are')} covered by a current risk acceptance.` : '',
      by['not-assessed'] ? `${plural(by['not-assessed'], 'control has', 'controls have')} no automated evidence mapped and no attestation, and need${by['not-assessed'] === 1 ? 's' : ''} manual assessment.` : '',
      by['not-applicable'] ? `${plural(by['not-applicable'], 'control was', 'controls were')} declared not applicable.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    [
      info.gaps.length
        ? `${plural(info.gaps.length, 'collection gap was', 'collection gaps were')} recorded (${partRef('gaps')}); controls whose evidence they would hold are not shown as compliant.`
        : 'No collection gaps were recorded.',
      result.dataResidency.total
        ? `${plural(result.dataResidency.total, 'resource lies', 'resources lie')} outside the allowed regions (${result.dataResidency.allowedRegions.join(', ')}): see ${partRef('residency')}.`
        : `No resource lies outside the allowed regions (${result.dataResidency.allowedRegions.join(', ')}).`,
      result.recorders.unrecorded.length
        ? `The AWS Config recorder was not recording in ${plural(result.recorders.unrecorded.length, 'account and region', 'accounts and regions')} in scope (${partRef('scope')}).`
        : '',
      result.practices.length
        ? `${num(needing)} of ${plural(result.practices.length, 'service security practice', 'service security practices')} of the services in use ${needing === 1 ? 'is' : 'are'} not followed in whole or part, or not evidenced (${partRef('practices')}).`
        : '',
      awsHalfMissingText(result),
    ]
      .filter(Boolean)
      .join(' '),
  ];
  return paragraphs;
}

/** An unevidenced AWS half of a shared control is a finding of its own, whatever the customer's half shows. */
function awsHalfMissingText(result: AssessmentResult): string {
  const missing = result.controls.filter((c) => c.responsibility === 'shared' && c.awsHalf?.evidenced === false).length;
  if (!missing) return '';
  return `${plural(missing, 'shared control has', 'shared controls have')} an AWS half that no AWS Artifact report in scope evidences (shown with each control in ${partRef('controls')}, and in the aws_half column of ${XLSX('Controls', 'controls.csv')}).`;
}

function attentionView(result: AssessmentResult) {
  const rank = (c: ControlAssessment) => STATUSES.indexOf(c.status);
  // A stable sort, so equally urgent controls keep the catalog's order; more failing resources first.
  const needing = result.controls.filter((c) => needsAttention(c.status)).sort((a, b) => rank(a) - rank(b) || b.evidence.findingsTotal - a.evidence.findingsTotal);
  return {
    rows: needing.slice(0, LIMITS.attention).map((c) => ({
      id: c.id,
      status: statusView(c.status),
      responsibility: RESPONSIBILITY_LABELS[c.responsibility],
      where: c.section,
      rationale: wrapsAtUnderscores(c.rationale),
    })),
    more: more(needing.length - LIMITS.attention, `${partRef('controls')}, or filter the status column of ${XLSX('Controls', 'controls.csv')}`),
  };
}

function changesView(changes: Changes | null, baseline: string) {
  if (!changes) return null;
  const attention = (st: Status | null) => st !== null && needsAttention(st);
  const changeRank = (c: ControlChange) => (attention(c.current) && !attention(c.earlier) ? 0 : attention(c.earlier) && !attention(c.current) ? 1 : 2);
  const cap = <T>(items: readonly T[], show: (t: T) => string) => {
    const shown = items.slice(0, LIMITS.changesPerList).map(show).join(', ');
    const rest = items.length - LIMITS.changesPerList;
    return rest > 0 ? `${shown} and ${num(rest)} more` : shown;
  };
  const scopeRow = (label: string, counts: [number, number], set: { added: unknown[]; removed: unknown[] }, show: (t: never) => string) => ({
    label,
    earlier: num(counts[0]),
    current: num(counts[1]),
    added: set.added.length ? `${num(set.added.length)}: ${cap(set.added as never[], show)}` : 'none',
    removed: set.removed.length ? `${num(set.removed.length)}: ${cap(set.removed as never[], show)}` : 'none',
  });
  const account = (a: { accountId: string; name: string | null }) => (a.name ? `${a.accountId} (${a.name})` : a.accountId);
  const controlRow = (c: ControlChange) => ({
    id: c.id,
    inReport: c.current !== null,
    earlier: c.earlier ? statusView(c.earlier) : null,
    current: c.current ? statusView(c.current) : null,
  });
  return {
    earlier: { ...changes.earlier, completedAt: formatTime(changes.earlier.completedAt) },
    baselineNote: changes.sameBaseline ? null : `The earlier report assessed the ${changes.earlier.baseline} baseline and this one the ${baseline} baseline, so some controls are in only one of them.`,
    scope: [
      scopeRow('AWS accounts', changes.counts.accounts, changes.accounts, account),
      scopeRow('Regions', changes.counts.regions, changes.regions, (r: string) => r),
      scopeRow('Service categories', changes.counts.categories, changes.categories, (c: string) => c),
      scopeRow('Resource types', changes.counts.resourceTypes, changes.resourceTypes, (t: string) => t),
    ],
    statuses: changes.statusTotals
      .filter((s) => s.earlier || s.current)
      .map((s) => ({ ...statusView(s.status), earlier: num(s.earlier), current: num(s.current), delta: s.current === s.earlier ? '0' : `${s.current > s.earlier ? '+' : '−'}${num(Math.abs(s.current - s.earlier))}` })),
    changed: `${plural(changes.controls.length, 'control', 'controls')} changed status (or are in only one of the two assessments)`,
    nowNeedCount: num(changes.nowNeedAttention.length),
    noLongerCount: num(changes.noLongerNeedAttention.length),
    // Those that now need attention first, then those that no longer do, then the rest, each in catalog order.
    controls: [...changes.controls]
      .sort((a, b) => changeRank(a) - changeRank(b))
      .slice(0, LIMITS.changesPerList * 2)
      .map(controlRow),
    controlsMore: more(changes.controls.length - LIMITS.changesPerList * 2, XLSX('Changes', 'changes.csv')),
  };
}

/**
 * The SSP annex values the status's controls took, with counts where the refinements split them
 * (a risk acceptance, a shared control's unseen AWS half); the table's value when none has it.
 */
function annexValues(controls: readonly ControlAssessment[], status: Status): string {
  const seen = new Map<string, number>();
  for (const c of controls) if (c.status === status) seen.set(c.implementation, (seen.get(c.implementation) ?? 0) + 1);
  if (seen.size < 2) return [...seen.keys()][0] ?? STATUS_TABLE[status].implementation;
  return [...seen].map(([value, n]) => `${value} ${num(n)}`).join(', ');
}

function summaryView(input: ReportInput, tree: GuidelineGroup[]) {
  const { result } = input;
  const { totals } = result;
  const by = totals.byStatus;
  const sum = (statuses: readonly Status[]) => statuses.reduce((n, s) => n + by[s], 0);
  const figure = (label: string, n: number, cls: string, note: string) => ({ label, value: num(n), share: percent(n, totals.controls), cls, note });
  const all = tally(result.controls);
  return {
    paragraphs: summaryText(input),
    // The baseline's size and the share of it assessed stand apart, so "not assessed" never reads as part of "assessed".
    figures: [
      figure('Controls in the baseline', totals.controls, 'fig-total', `${result.baseline}, with principles`),
      figure('Assessed', totals.controls - by['not-assessed'], 'fig-total', 'any status but not assessed'),
      figure('Need attention', sum(ATTENTION_STATUSES), 'st-non-compliant', 'failing or short of evidence'),
      figure('Evidenced', sum(EVIDENCED_STATUSES), 'st-compliant', 'compliant, attested or inherited'),
      figure('Risk accepted', by['risk-accepted'], 'st-risk-accepted', 'current risk acceptance'),
      figure('Not assessed', by['not-assessed'], 'st-not-assessed', 'manual assessment needed'),
      figure('Not applicable', by['not-applicable'], 'st-not-applicable', 'declared by the system owner'),
    ],
    overall: bar(all, totals.controls),
    legend: STATUSES.filter((s) => by[s] > 0).map((s) => ({ ...statusView(s), count: num(by[s]), share: percent(by[s], totals.controls) })),
    byStatus: STATUSES.map((s) => ({ ...statusView(s), count: num(by[s]), share: percent(by[s], totals.controls), definition: STATUS_DEFINITIONS[s], implementation: annexValues(result.controls, s) })),
    // The SSP annex's view of the same controls, every value listed so a zero reads as a fact.
    byImplementation: IMPLEMENTATION_STATUSES.map((i) => ({ label: i, count: num(totals.byImplementation[i]), share: percent(totals.byImplementation[i], totals.controls) })),
    byResponsibility: RESPONSIBILITIES.map((r) => ({ label: RESPONSIBILITY_LABELS[r], ...breakdown(result.controls.filter((c) => c.responsibility === r)) })),
    byGuideline: tree.map((g) => ({ id: g.id, number: g.number, title: g.title, ...breakdown(g.controls) })),
    attention: attentionView(result),
    changes: changesView(input.changes, result.baseline),
  };
}

function scopeView(input: ReportInput) {
  const { result } = input;
  const info = result.pack;
  const recorders = result.recorders;
  const allowed = new Set(result.dataResidency.allowedRegions);
  const accounts = info.scope.accounts;
  return {
    facts: [
      { label: 'Organisation', value: info.organisation ?? 'not named in the evidence pack' },
      { label: 'System', value: input.system ?? 'not named (auditpack report --system NAME)' },
      { label: 'Assessment period', value: info.period },
      { label: 'Evidence collected', value: `${formatTime(info.startedAt)} to ${formatTime(info.completedAt)}` },
      { label: 'Assessed as of', value: `${result.asOf} (attestation and risk acceptance expiry is judged at this date)` },
      { label: 'AWS accounts', value: num(accounts.length) },
      { label: 'Regions', value: info.scope.regions.length ? info.scope.regions.map((r) => `${r}${allowed.has(r) ? '' : ' (outside the allowed regions)'}`).join(', ') : 'none recorded' },
      { label: 'Allowed regions', value: `${result.dataResidency.allowedRegions.join(', ')} (where the system's data may reside)` },
      { label: 'AWS Config evidence', value: `${plural(Object.values(result.totals.evaluations).reduce((a, b) => a + b, 0), 'rule evaluation', 'rule evaluations')} by ${plural(result.totals.ruleDeployments, 'deployed rule', 'deployed rules')}: ${countsText(result.totals.evaluations)}` },
      { label: 'Resource inventory', value: plural(result.totals.resources, 'resource', 'resources') },
      { label: 'Manual evidence', value: `${plural(result.manualEvidence.attestations.length, 'attestation', 'attestations')}, ${plural(result.manualEvidence.exceptions.length, 'risk acceptance', 'risk acceptances')}` },
      { label: 'AWS Artifact', value: `${plural(result.artifactReports.length, 'report reference', 'report references')}` },
      { label: 'Rules deployed, not mapped', value: wrapsAtUnderscores(unmappedText(result)) },
      ...(input.rowsNote ? [{ label: 'Evidence rows', value: input.rowsNote }] : []),
    ],
    collectors: info.collectors.map((c) => ({ name: c.name, when: `${formatTime(c.startedAt)} to ${formatTime(c.completedAt)}` })),
    accounts: accounts.slice(0, LIMITS.accounts),
    accountsMore: more(accounts.length - LIMITS.accounts, XLSX('Accounts', 'accounts.csv')),
    recording: {
      inScope: num(recorders.locationsInScope),
      recording: num(recorders.locationsInScope - recorders.unrecorded.length),
      unrecorded: recorders.unrecorded.slice(0, LIMITS.unrecorded),
      more: recorders.unrecorded.length > LIMITS.unrecorded ? `and ${num(recorders.unrecorded.length - LIMITS.unrecorded)} more` : null,
    },
  };
}

/** Rules found in the pack that bear on no control: named, never dropped. */
function unmappedText(result: AssessmentResult): string {
  const names = result.unmappedRules.map((r) => (r.processCheck === null ? r.sourceIdentifier : `${r.sourceIdentifier} (${r.processCheck})`));
  if (!names.length) return 'none: every rule in the pack maps to a control';
  const shown = names.slice(0, LIMITS.unmappedRules).join(', ');
  return `${plural(names.length, 'rule identifier', 'rule identifiers')} bear on no control: ${shown}${names.length > LIMITS.unmappedRules ? `, ${more(names.length - LIMITS.unmappedRules, XLSX('Deployed, not mapped', 'unmapped-rules.csv'))}` : ` (${XLSX('Deployed, not mapped', 'unmapped-rules.csv')})`}`;
}

function responsibilityView(result: AssessmentResult, tree: GuidelineGroup[]) {
  // The categories the assessment judged: those in use, or all of them when the pack has no resources.
  const categories = SERVICE_CATEGORIES.filter((c) => result.controls.some((x) => x.responsibilityByCategory[c] !== undefined));
  const types = new Map(result.servicesInUse.map((s) => [s.category, s.resourceTypes]));
  const counts = (controls: readonly ControlAssessment[], category: ServiceCategory) => {
    const out: Record<Responsibility, number> = { customer: 0, shared: 0, inherited: 0 };
    for (const c of controls) {
      const r = c.responsibilityByCategory[category];
      if (r) out[r]++;
    }
    return out;
  };
  const cell = (controls: readonly ControlAssessment[], category: ServiceCategory) => {
    const c = counts(controls, category);
    return { customer: num(c.customer), shared: num(c.shared), inherited: num(c.inherited) };
  };
  return {
    inUse: result.servicesInUse.length > 0,
    categories: categories.map((category) => {
      const inUse = types.get(category) ?? [];
      return {
        label: CATEGORY_LABELS[category],
        note: CATEGORY_NOTES[category],
        types: inUse.slice(0, LIMITS.resourceTypesPerCategory).join(', '),
        typesCount: num(inUse.length),
        typesMore: more(inUse.length - LIMITS.resourceTypesPerCategory, XLSX('Resources', 'resources.csv')),
        ...cell(result.controls, category),
      };
    }),
    heads: categories.map((c) => CATEGORY_LABELS[c]),
    byGuideline: tree.map((g) => ({ number: g.number, title: g.title, id: g.id, cells: categories.map((c) => cell(g.controls, c)) })),
    split: plural(result.controls.filter((c) => new Set(Object.values(c.responsibilityByCategory)).size > 1).length, 'control has', 'controls have'),
  };
}

/** Report references (A1, A2, ...) so that each inherited control can cite its reports in a few characters. */
function reportRefs(input: ReportInput): Map<string, string> {
  const refs = new Map<string, string>();
  for (const r of input.result.artifactReports) refs.set(r.id, `A${refs.size + 1}`);
  // Reports the result names but the pack no longer lists cannot happen for a matching pack; number them anyway.
  for (const c of input.result.controls) for (const r of c.evidence.reports) if (!refs.has(r.id)) refs.set(r.id, `A${refs.size + 1}`);
  return refs;
}

function inheritedView(input: ReportInput, refs: Map<string, string>, tree: GuidelineGroup[]) {
  const sectionNumber = new Map(tree.flatMap((g) => g.sections.flatMap((s) => s.controls.map((c) => [c.id, s.number] as const))));
  const { result } = input;
  const inherited = result.controls.filter((c) => c.responsibility === 'inherited');
  return {
    count: num(inherited.length),
    evidenced: num(inherited.filter((c) => c.status === 'inherited-evidenced').length),
    reports: result.artifactReports.map((r) => ({
      ref: refs.get(r.id),
      name: r.name,
      series: r.series,
      version: r.version,
      period: r.period ? `${r.period.start} to ${r.period.end}` : 'no period stated',
      state: r.state === 'PUBLISHED' ? 'Published' : 'Not published',
      file: r.attachmentSha256,
      controls: num(r.evidences.length),
    })),
    controls: inherited.map((c) => ({
      id: c.id,
      section: c.section,
      sectionNumber: sectionNumber.get(c.id) ?? '',
      status: statusView(c.status),
      refs: c.evidence.reports.map((r) => refs.get(r.id)).join(', '),
    })),
  };
}

/**
 * The service categories whose responsibility differs from the control's governing one, as a
 * sentence: "Inherited for abstracted services." Null when every category agrees.
 */
function splitText(c: ControlAssessment): string | null {
  const differing = SERVICE_CATEGORIES.filter((cat) => {
    const r = c.responsibilityByCategory[cat];
    return r !== undefined && r !== c.responsibility;
  });
  if (!differing.length) return null;
  const byResponsibility = RESPONSIBILITIES.map((r) => ({ r, cats: differing.filter((cat) => c.responsibilityByCategory[cat] === r) })).filter((x) => x.cats.length);
  const text = byResponsibility.map((x) => `${RESPONSIBILITY_LABELS[x.r].toLowerCase()} for ${joinAnd(x.cats)} services`).join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const reportList = (reports: readonly { id: string }[], refs: Map<string, string>): string => reports.map((r) => refs.get(r.id)).join(', ');

/** Non-compliant results the listed resources account for: one each, plus one per other rule failing it. */
const countResults = (findings: readonly { otherRules: readonly string[] }[]): number => findings.reduce((n, f) => n + 1 + f.otherRules.length, 0);

function controlView(c: ControlAssessment, refs: Map<string, string>) {
  const e = c.evidence;
  const findings = e.findings.slice(0, LIMITS.findingsPerControl);
  const accounts = new Set(e.byLocation.map((l) => l.accountId)).size;
  const regions = new Set(e.byLocation.map((l) => l.region)).size;
  return {
    id: c.id,
    // A principle goes by its label (GOV-01), as in the ISM; its full id, too long for the column, leads its text.
    reference: c.kind === 'principle' && c.label ? c.label : c.id,
    heading: c.kind === 'principle' ? `${c.id}${c.title ? `: ${c.title}` : ''}` : c.title,
    // Spelled out here because Handlebars treats revision 0 as absent.
    revision: c.revision === null ? null : `rev. ${c.revision}`,
    // The catalog writes a statement's list items on lines of their own; keep them so, without blank lines.
    statement: c.statement === null ? null : c.statement.replace(/\n\s*\n/g, '\n').trim(),
    responsibility: RESPONSIBILITY_LABELS[c.responsibility],
    split: splitText(c),
    status: statusView(c.status),
    implementation: c.implementation,
    // An inherited control's rationale names every AWS Artifact report in full; part 5 lists them once, so cite them by reference.
    rationale: wrapsAtUnderscores(
      c.status === 'inherited-evidenced' && e.reports.length ? `Inherited from AWS; evidenced by AWS Artifact reports ${reportList(e.reports, refs)} (${partRef('inherited')}).` : c.rationale,
    ),
    rules: e.rules.map((r) => ({
      identifier: wrapsAtUnderscores(r.sourceIdentifier),
      counts: countsText(r.counts),
      names: r.ruleNames.length === 1 ? `rule ${r.ruleNames[0]}` : `${num(r.ruleNames.length)} deployed rules`,
      // Why the rule is evidence and how it was deployed, so an assessor can check the judgement.
      why: wrapsAtUnderscores(r.mapping.rationale),
      parameters: parametersText(r),
    })),
    supporting: e.supportingRules.length ? wrapsAtUnderscores(e.supportingRules.map((r) => r.sourceIdentifier).join(', ')) : null,
    where: e.byLocation.length ? `Evaluated in ${plural(accounts, 'account', 'accounts')} and ${plural(regions, 'region', 'regions')}.` : null,
    findings: findings.map((f) => ({
      resourceId: f.resourceId,
      context: wrapsAtUnderscores(
        [f.resourceType, f.accountId, f.region, formatTime(f.resultRecordedTime).replace(' UTC', ''), ...(f.otherRules.length ? [`also fails ${f.otherRules.join(', ')}`] : [])].join(' · '),
      ),
      annotation: f.annotation ? clip(f.annotation, LIMITS.annotationChars) : null,
    })),
    findingsTotal: e.findingsTotal > countResults(findings) ? `${plural(e.findingsTotal, 'non-compliant result', 'non-compliant results')}; the first ${plural(findings.length, 'failing resource', 'failing resources')}:` : null,
    moreFindings: more(e.findingsTotal - countResults(findings), XLSX('Evidence', 'evidence.csv')),
    attestations: e.attestations.map((a) => ({ id: a.id, text: `(${a.attester}), valid until ${a.validUntil}`, expired: a.expired })),
    processChecks: e.processChecks.map((p) => ({
      text: `${p.name}, account ${p.accountId}: ${COMPLIANCE_WORDS[p.complianceType]}, recorded ${formatTime(p.resultRecordedTime)}, valid until ${p.validUntil}`,
      annotation: p.annotation ? clip(p.annotation, LIMITS.annotationChars) : null,
      expired: p.expired,
    })),
    exceptions: e.exceptions.map((x) => ({ id: x.id, text: `owner ${x.owner}, approved by ${x.approvedBy}, expires ${x.expiresOn}`, expired: x.expired })),
    // A shared control's status is the customer's half; AWS's half is shown beside it, and a missing one is a finding.
    awsHalf:
      c.responsibility === 'shared' && c.awsHalf
        ? { missing: !c.awsHalf.evidenced, text: c.awsHalf.evidenced ? `evidenced by AWS Artifact reports ${reportList(e.reports, refs)} (${partRef('inherited')}).` : c.awsHalf.rationale }
        : null,
    reports: e.reports.length && c.responsibility === 'inherited' && c.status !== 'inherited-evidenced' ? reportList(e.reports, refs) : null,
    residency: e.residencyFindings ? `${plural(e.residencyFindings, 'resource', 'resources')} outside the allowed regions (${partRef('residency')}).` : null,
  };
}

const MANUAL_STATE_LABELS: Record<ManualState, string> = { valid: 'Valid', expired: 'Expired', unused: 'Not used' };
/** The assessment status whose colour each manual evidence state borrows (the same meaning). */
const MANUAL_STATE_COLOURS: Record<ManualState, Status> = { valid: 'compliant', expired: 'attestation-expired', unused: 'not-applicable' };

function manualView(manual: AssessmentResult['manualEvidence']) {
  const state = (s: ManualState) => ({ label: MANUAL_STATE_LABELS[s], cls: `st-${MANUAL_STATE_COLOURS[s]}` });
  return {
    attestations: manual.attestations.slice(0, LIMITS.attestations).map((a) => ({ ...a, controls: a.controlIds.join(', '), state: state(a.state) })),
    attestationsMore: more(manual.attestations.length - LIMITS.attestations, XLSX('Attestations', 'attestations.csv')),
    exceptions: manual.exceptions.slice(0, LIMITS.exceptions).map((e) => ({ ...e, controls: e.controlIds.join(', '), state: state(e.state) })),
    exceptionsMore: more(manual.exceptions.length - LIMITS.exceptions, XLSX('Exceptions', 'exceptions.csv')),
  };
}

function residencyView(input: ReportInput) {
  const { result } = input;
  const r = result.dataResidency;
  const controls = result.controls.filter((c) => r.controls.includes(c.id));
  return {
    allowed: r.allowedRegions.join(', '),
    totalText: `${plural(r.total, 'resource lies', 'resources lie')} outside the allowed regions`,
    controls: controls.map((c) => ({ id: c.id, status: statusView(c.status) })),
    byRegion: r.byRegion.map((x) => ({ region: x.region, resources: num(x.resources), accounts: num(x.accounts) })),
    resources: r.resources.slice(0, LIMITS.residencyResources),
    more: more(r.total - Math.min(r.resources.length, LIMITS.residencyResources), XLSX('Data residency', 'data-residency.csv')),
  };
}

/** A sample report says so in its title too, once. */
const sampleTitle = (title: string, sample: boolean): string => (sample && !title.includes('SAMPLE DATA') ? `${title} (SAMPLE DATA)` : title);

/** Everything the templates show, precomputed so the templates need no helpers and no logic beyond if/each. */
export function reportView(input: ReportInput, pages: PageNumbers | null) {
  const { result, marking } = input;
  const info = result.pack;
  const files = info.files;
  const tree = guidelineTree(result.controls);
  const refs = reportRefs(input);
  const page = (id: string) => (pages?.get(id) !== undefined ? String(pages.get(id)) : '');
  const organisation = info.organisation ?? 'Organisation not named';
  return {
    title: sampleTitle(`ISM compliance report: ${input.system ? `${input.system}, ` : ''}${organisation}, ${info.period}`, info.sample),
    marking,
    sample: info.sample,
    cover: coverView(input),
    contents: reportOutline(result).map((e) => ({ ...e, page: page(e.id), cls: `toc-${e.level}` })),
    parts: Object.fromEntries(PARTS.map((p) => [p.id.replace('appendix-', 'appendix_'), part(p.id)])),
    summary: summaryView(input, tree),
    practices: practicesView(result),
    scope: scopeView(input),
    responsibility: responsibilityView(result, tree),
    inherited: inheritedView(input, refs, tree),
    statementsMissing: !result.catalog.statementsLoaded,
    catalogVersion: result.catalog.version,
    findingsShown: LIMITS.findingsPerControl,
    guidelines: tree.map((g) => ({
      id: g.id,
      number: g.number,
      title: g.title,
      count: plural(g.controls.length, 'control', 'controls'),
      sections: g.sections.map((s) => ({
        id: s.id,
        number: s.number,
        title: s.title,
        context: `${g.number} ${g.title} › ${s.number} ${s.title}`,
        topics: groupBy(s.controls, (c) => c.topic).map(([topic, controls]) => ({ title: topic, controls: controls.map((c) => controlView(c, refs)) })),
      })),
    })),
    ...manualView(result.manualEvidence),
    gaps: info.gaps.slice(0, LIMITS.gaps).map((g) => ({ ...g, where: [g.accountId, g.region].filter((x) => x !== null).join(' ') || 'all accounts and regions' })),
    gapsMore: more(info.gaps.length - LIMITS.gaps, XLSX('Gaps', 'gaps.csv')),
    residency: residencyView(input),
    statusDefinitions: STATUSES.map((s) => ({ ...statusView(s), id: s, definition: STATUS_DEFINITIONS[s], implementation: STATUS_TABLE[s].implementation, annexReason: STATUS_TABLE[s].annexReason })),
    limits: LIMITS,
    packId: info.packId,
    manifestSha256: info.manifestSha256,
    files: files.slice(0, LIMITS.files).map((f) => ({
      ...f,
      // An attachment's name is its SHA-256, which the next column shows in full.
      path: f.path.startsWith(`${ATTACHMENTS_DIR}/`) ? `${ATTACHMENTS_DIR}/<SHA-256>` : f.path,
      bytes: num(f.bytes),
      records: f.records === null ? '–' : num(f.records),
    })),
    filesMore: more(files.length - LIMITS.files, XLSX('Manifest', 'manifest.csv')),
  };
}

export type ReportView = ReturnType<typeof reportView>;
