import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { RESPONSIBILITIES, STATUSES, type AssessmentResult, type ComplianceCounts, type ControlAssessment, type Status } from '../assess/result';
import type { EvidencePack } from '../evidence/reader';
import type { ManualEvidence, ManualState } from './manual';
import { RESPONSIBILITY_LABELS, STATUS_DEFINITIONS, STATUS_LABELS } from './statuses';

/** Resolved the same from src/render under Jest and from dist/render after a build. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates');

/** Failing evaluations listed per control in the PDF/HTML; all of them are in the XLSX and CSV. */
const FINDINGS_SHOWN = 5;
/** Controls listed under "needs attention first"; the rest are in the detail. */
const ATTENTION_SHOWN = 25;

const COMPLIANCE_WORDS: Record<keyof ComplianceCounts, string> = {
  COMPLIANT: 'compliant',
  NON_COMPLIANT: 'non-compliant',
  NOT_APPLICABLE: 'not applicable',
  INSUFFICIENT_DATA: 'insufficient data',
};

const MANUAL_STATE_LABELS: Record<ManualState, string> = { valid: 'Valid', expired: 'Expired', unused: 'Not used' };

const statusView = (status: Status) => ({ label: STATUS_LABELS[status], cls: `st-${status}` });

function countsText(counts: ComplianceCounts): string {
  const parts = (Object.keys(COMPLIANCE_WORDS) as (keyof ComplianceCounts)[])
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${COMPLIANCE_WORDS[k]}`);
  return parts.length ? parts.join(', ') : 'no evaluations';
}

const percent = (n: number, of: number): string => (of === 0 ? '–' : `${Math.round((n / of) * 100)}%`);

interface CountRow {
  label: string;
  /** Status class for a badge and bar colour; null for plain rows. */
  cls: string | null;
  count: number;
}

/** Rows of a count table with a bar each, scaled so the largest count fills its cell. */
function countRows(rows: CountRow[], total: number) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return rows.map((r) => ({ ...r, percent: percent(r.count, total), bar: Math.round((r.count / max) * 1000) / 10 }));
}

// Statuses ranked before "not assessed" are problems shown by evidence in hand, so they lead.
const ATTENTION_RANK = STATUSES.indexOf('not-assessed');

function attention(result: AssessmentResult) {
  const rank = (c: ControlAssessment) => STATUSES.indexOf(c.status);
  // A stable sort, so equally urgent controls keep the catalog's order.
  const needing = result.controls
    .filter((c) => rank(c) < ATTENTION_RANK)
    .sort((a, b) => rank(a) - rank(b) || b.evidence.findingsTotal - a.evidence.findingsTotal);
  return {
    controls: needing.slice(0, ATTENTION_SHOWN).map((c) => ({
      id: c.id,
      status: statusView(c.status),
      responsibility: RESPONSIBILITY_LABELS[c.responsibility],
      rationale: c.rationale,
    })),
    more: Math.max(0, needing.length - ATTENTION_SHOWN),
  };
}

function controlView(c: ControlAssessment) {
  const e = c.evidence;
  const findings = e.findings.slice(0, FINDINGS_SHOWN);
  return {
    id: c.id,
    heading: c.label && c.title ? `${c.label}: ${c.title}` : c.title,
    // Spelled out here because Handlebars treats revision 0 as absent.
    revision: c.revision === null ? null : `Revision ${c.revision}`,
    statement: c.statement,
    responsibility: RESPONSIBILITY_LABELS[c.responsibility],
    byCategory: Object.entries(c.responsibilityByCategory).map(([category, r]) => `${category}: ${RESPONSIBILITY_LABELS[r].toLowerCase()}`),
    status: statusView(c.status),
    rationale: c.rationale,
    rules: e.rules.map((r) => ({ identifier: r.sourceIdentifier, names: r.ruleNames.join(', '), counts: countsText(r.counts) })),
    findings: findings.map((f) => ({
      resourceId: f.resourceId,
      context: [f.resourceType, f.accountId, f.region, f.ruleName, f.resultRecordedTime].join(' · '),
      annotation: f.annotation,
    })),
    moreFindings: Math.max(0, e.findingsTotal - findings.length),
    attestations: e.attestations.map((a) => ({
      id: a.id,
      text: `by ${a.attester} on ${a.attestedOn}, valid until ${a.validUntil}`,
      expired: a.expired,
    })),
    exceptions: e.exceptions.map((x) => ({
      id: x.id,
      text: `owned by ${x.owner}, approved by ${x.approvedBy}, expires ${x.expiresOn}`,
      expired: x.expired,
    })),
    reports: e.reports.map((r) => ({
      id: r.id,
      text: `${r.name} (${r.series}, version ${r.version}${r.period ? `, ${r.period.start} to ${r.period.end}` : ''})`,
      sha256: r.attachmentSha256,
    })),
    hasEvidence: e.rules.length + e.attestations.length + e.exceptions.length + e.reports.length > 0,
  };
}

type ControlView = ReturnType<typeof controlView>;
interface Group<T> {
  title: string;
  anchor: string;
  items: T[];
}

/** Groups items by key in order of first appearance, so each guideline, section and topic appears once. */
function groupBy<T, U>(items: readonly T[], key: (item: T) => string, view: (item: T) => U, anchorPrefix: string): Group<U>[] {
  const groups = new Map<string, Group<U>>();
  for (const item of items) {
    const title = key(item);
    let group = groups.get(title);
    if (!group) {
      group = { title, anchor: `${anchorPrefix}-${groups.size + 1}`, items: [] };
      groups.set(title, group);
    }
    group.items.push(view(item));
  }
  return [...groups.values()];
}

function controlTree(controls: readonly ControlAssessment[]) {
  return groupBy(controls, (c) => c.guideline, (c) => c, 'g').map((g) => ({
    ...g,
    sections: groupBy(g.items, (c) => c.section, (c) => c, g.anchor).map((s) => ({
      ...s,
      topics: groupBy<ControlAssessment, ControlView>(s.items, (c) => c.topic, controlView, s.anchor),
    })),
  }));
}

function manualView(manual: ManualEvidence) {
  const state = (s: ManualState) => ({ label: MANUAL_STATE_LABELS[s], cls: `ms-${s}` });
  return {
    attestations: manual.attestations.map((a) => ({ ...a, controls: a.controlIds.join(', '), state: state(a.state) })),
    exceptions: manual.exceptions.map((e) => ({ ...e, controls: e.controlIds.join(', '), state: state(e.state) })),
  };
}

/** Everything the templates show, precomputed so the templates need no helpers and no logic beyond if/each. */
function reportView(result: AssessmentResult, pack: EvidencePack, manual: ManualEvidence, marking: string, css: string) {
  const { pack: info, totals } = result;
  const organisation = info.organisation ?? 'Organisation not named';
  return {
    css: new Handlebars.SafeString(css),
    title: `ISM compliance report: ${organisation}, ${info.period}`,
    marking,
    sample: info.sample,
    cover: {
      organisation,
      period: info.period,
      baseline: result.baseline,
      catalog: result.catalog,
      asOf: result.asOf,
      packId: info.packId,
      manifestSha256: info.manifestSha256,
      collected: `${info.startedAt} to ${info.completedAt}`,
      tool: `${result.tool.name} ${result.tool.version}`,
    },
    summary: {
      controls: totals.controls,
      byStatus: countRows(
        STATUSES.map((s) => ({ ...statusView(s), count: totals.byStatus[s] })),
        totals.controls,
      ),
      byResponsibility: countRows(
        RESPONSIBILITIES.map((r) => ({ label: RESPONSIBILITY_LABELS[r], cls: null, count: totals.byResponsibility[r] })),
        totals.controls,
      ),
      evaluations: Object.values(totals.evaluations).reduce((a, b) => a + b, 0),
      evaluationCounts: countsText(totals.evaluations),
      resources: totals.resources,
      gaps: info.gaps.length === 1 ? '1 collection gap was' : `${info.gaps.length} collection gaps were`,
      hasGaps: info.gaps.length > 0,
      attention: attention(result),
    },
    scope: {
      accounts: info.scope.accounts,
      regions: info.scope.regions.join(', '),
      services: result.servicesInUse.map((s) => ({ category: s.category, resourceTypes: s.resourceTypes.join(', ') })),
    },
    statementsMissing: !result.catalog.statementsLoaded,
    findingsShown: FINDINGS_SHOWN,
    guidelines: controlTree(result.controls),
    ...manualView(manual),
    gaps: info.gaps.map((g) => ({ ...g, where: [g.accountId, g.region].filter((x) => x !== null).join(' ') || 'all accounts and regions' })),
    statusDefinitions: STATUSES.map((s) => ({ ...statusView(s), definition: STATUS_DEFINITIONS[s] })),
    files: pack.manifest.files.map((f) => ({ ...f, records: f.records ?? '–' })),
  };
}

async function loadTemplates(): Promise<{ hbs: typeof Handlebars; report: string; css: string }> {
  // An isolated environment: partials registered here never leak into other Handlebars users.
  const hbs = Handlebars.create();
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const name of (await readdir(partialsDir)).filter((n) => n.endsWith('.hbs'))) {
    hbs.registerPartial(path.basename(name, '.hbs'), await readFile(path.join(partialsDir, name), 'utf8'));
  }
  const [report, css] = await Promise.all([
    readFile(path.join(TEMPLATES_DIR, 'report.hbs'), 'utf8'),
    readFile(path.join(TEMPLATES_DIR, 'report.css'), 'utf8'),
  ]);
  return { hbs, report, css };
}

// Strict mode turns a misspelt field into an error instead of a silently empty cell.
const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true } as const;

/** The self-contained report page (inline CSS and SVG; no scripts, no external references). */
export async function renderHtml(result: AssessmentResult, pack: EvidencePack, manual: ManualEvidence, marking: string): Promise<string> {
  const { hbs, report, css } = await loadTemplates();
  return hbs.compile(report, COMPILE_OPTIONS)(reportView(result, pack, manual, marking, css));
}

/** Header and footer for every PDF page; Chromium renders them apart from the page, so they carry their own styles. */
export async function renderPrintMargins(result: AssessmentResult, marking: string): Promise<{ header: string; footer: string }> {
  const hbs = Handlebars.create();
  const view = { marking, sample: result.pack.sample, period: result.pack.period };
  const render = async (name: string) => hbs.compile(await readFile(path.join(TEMPLATES_DIR, name), 'utf8'), COMPILE_OPTIONS)(view);
  return { header: await render('print-header.hbs'), footer: await render('print-footer.hbs') };
}
