import { IMPLEMENTATION_STATUSES } from '../../assess/annex';
import { organisationOf } from '../organisation';
import { type AssessmentResult, type ControlAssessment, type Status, STATUSES } from '../../assess/result';
import { STATUS_TABLE } from '../../assess/status-table';
import { RESPONSIBILITIES } from '../../mapping/responsibility';
import { practicesNeedingAction } from '../practices-view';
import { ATTENTION_STATUSES, EVIDENCED_STATUSES, RESPONSIBILITY_LABELS, STATUS_DEFINITIONS } from '../statuses';
import { attentionView } from './attention';
import { bar, breakdown, tally } from './bars';
import { changesView } from './changes';
import { formatTime, joinAnd, num, percent, plural, statusView, XLSX } from './format';
import type { ReportInput } from './input';
import { type GuidelineGroup, partRef } from './outline';

function summaryText(input: ReportInput): string[] {
  const { result, system } = input;
  const { pack: info, totals } = result;
  const by = totals.byStatus;
  const phrase = (statuses: readonly Status[]) => joinAnd(statuses.filter((s) => by[s] > 0).map((s) => `${num(by[s])} ${STATUS_TABLE[s].phrase}`));
  const needing = practicesNeedingAction(result.practices).length;
  const attention = ATTENTION_STATUSES.reduce((n, s) => n + by[s], 0);
  const evidenced = EVIDENCED_STATUSES.reduce((n, s) => n + by[s], 0);
  const organisation = organisationOf(result) ?? 'the organisation';
  const subject = system ? `${system} of ${organisation}` : organisation;
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

export function summaryView(input: ReportInput, tree: GuidelineGroup[]) {
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
