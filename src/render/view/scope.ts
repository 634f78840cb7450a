import type { AssessmentResult } from '../../assess/result';
import { organisationOf } from '../organisation';
import { wrapsAtUnderscores } from '../display-text';
import { countsText, formatTime, more, num, plural, XLSX } from './format';
import type { ReportInput } from './input';
import { LIMITS } from './limits';

export function scopeView(input: ReportInput) {
  const { result } = input;
  const info = result.pack;
  const recorders = result.recorders;
  const allowed = new Set(result.dataResidency.allowedRegions);
  const accounts = info.scope.accounts;
  return {
    facts: [
      { label: 'Organisation', value: organisationOf(result) ?? 'not named (--agency, or agency: in the system file)' },
      { label: 'System', value: input.system ?? 'not named (--system, or system: in the system file)' },
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
