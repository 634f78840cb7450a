import type { ControlAssessment } from '../../assess/result';
import { RESPONSIBILITIES, SERVICE_CATEGORIES } from '../../mapping/responsibility';
import { wrapsAtUnderscores } from '../display-text';
import { parametersText } from '../rule-trace';
import { RESPONSIBILITY_LABELS } from '../statuses';
import { clip, COMPLIANCE_WORDS, countsText, formatTime, joinAnd, more, num, plural, statusView, XLSX } from './format';
import { LIMITS } from './limits';
import { partRef } from './outline';

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

export function controlView(c: ControlAssessment, refs: Map<string, string>) {
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
