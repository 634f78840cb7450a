import type { NotApplicableDeclaration } from '../mapping/mappings';
import { SERVICE_CATEGORIES, type Responsibility, type ServiceCategory } from '../mapping/responsibility';
import { plural } from '../util/plural';
import type { AwsHalf, CarriedForwardRef, ComplianceCounts, ControlAssessment, Finding } from './result';

/** Failing resources named in the comments; the rest are counted and left to the evidence table. */
export const COMMENT_FINDINGS = 3;

/** What the implementation comments are written from: the control's evidence, and the facts its status rests on. */
export interface CommentFacts {
  responsibility: Responsibility;
  responsibilityByCategory: Partial<Record<ServiceCategory, Responsibility>>;
  awsHalf: AwsHalf | null;
  evidence: ControlAssessment['evidence'];
  /** The mapped rule identifiers the pack deploys (some may have given no result). */
  mappedRules: readonly string[];
  /** Unrecorded locations that could have held evidence for the control's rules. */
  unrecordedLocations: readonly string[];
  /** AWS Config collection gaps in the pack. */
  collectionGaps: number;
  notApplicable: NotApplicableDeclaration | null;
  allowedRegions: readonly string[];
  asOf: string;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * The SSP annex's implementation comments for one control, written from the evidence (never from
 * the control's statement): what evidence there is and how much, which resources fail, where the
 * recorder was off, which process checks, attestations, risk acceptances and AWS Artifact reports
 * it rests on, who recorded them and when, and until when they hold. Plain sentences, so the text
 * can be pasted into the annex as it is.
 */
export function implementationComments(f: CommentFacts): string {
  const e = f.evidence;
  const customerPart = [
    ...(f.notApplicable ? [`Declared not applicable${f.notApplicable.approval ? ` by ${f.notApplicable.approval.by} on ${f.notApplicable.approval.on}` : ''}: ${f.notApplicable.rationale}`] : []),
    ...ruleSentences(f),
    ...(e.residencyFindings ? [`${plural(e.residencyFindings, 'resource lies', 'resources lie')} outside the allowed regions (${f.allowedRegions.join(', ')}).`] : []),
    ...processCheckSentences(e.processChecks),
    ...e.attestations.map(
      (a) =>
        `Attested${a.implementation && a.implementation !== 'Effective' ? ` as ${a.implementation}` : ''} by ${a.attester} on ${a.attestedOn} (${a.id}${a.attachments.length ? `, ${plural(a.attachments.length, 'attachment')} hashed in the evidence pack` : ''}${carried(a)}), ${a.expired ? 'expired' : 'valid until'} ${a.validUntil}.`,
    ),
    ...e.exceptions.map((x) => `Risk accepted by ${x.approvedBy} for owner ${x.owner} (${x.id}${carried(x)}), ${x.expired ? 'expired' : 'until'} ${x.expiresOn}.`),
  ];
  // An inherited control has no customer part to be silent about.
  if (!customerPart.length && f.responsibility !== 'inherited') {
    customerPart.push(`No evidence in the pack bears on ${f.responsibility === 'shared' ? "the customer's part" : 'this control'}: no mapped AWS Config rule is deployed and no attestation or process check covers it.`);
  }
  return [...splitSentence(f), ...customerPart, ...awsSentences(f), `Evidence as of ${f.asOf}.`].join(' ');
}

/** Process check results, the accounts that recorded the same words on the same day named together. */
function processCheckSentences(checks: CommentFacts['evidence']['processChecks']): string[] {
  const groups = new Map<string, { check: (typeof checks)[number]; accounts: string[] }>();
  for (const p of checks) {
    const key = JSON.stringify([p.name, p.complianceType, p.annotation, day(p.resultRecordedTime), p.validUntil, p.expired]);
    const group = groups.get(key);
    if (group) group.accounts.push(p.accountId);
    else groups.set(key, { check: p, accounts: [p.accountId] });
  }
  return [...groups.values()].map(
    ({ check: p, accounts }) =>
      `AWS Config process check ${p.name} recorded ${p.complianceType} in ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')} on ${day(p.resultRecordedTime)}${p.annotation ? ` ("${p.annotation}")` : ' without an annotation'}, ${p.expired ? 'expired' : 'valid until'} ${p.validUntil}.`,
  );
}

/** Where the service categories in use differ in who implements the control. */
function splitSentence(f: CommentFacts): string[] {
  if (new Set(Object.values(f.responsibilityByCategory)).size < 2) return [];
  const parts = SERVICE_CATEGORIES.flatMap((c) => {
    const r = f.responsibilityByCategory[c];
    return r ? [`${r === 'customer' ? 'customer-specific' : r} for ${c} services`] : [];
  });
  return [`Responsibility: ${parts.join('; ')}.`];
}

function ruleSentences(f: CommentFacts): string[] {
  const e = f.evidence;
  if (!f.mappedRules.length) return [];
  if (!e.rules.length) return [`The mapped AWS Config rules ${f.mappedRules.join(', ')} are deployed but gave no result.`];
  const total = (k: 'COMPLIANT' | 'NON_COMPLIANT') => e.rules.reduce((n, r) => n + r.counts[k], 0);
  const accounts = new Set(e.byLocation.map((l) => l.accountId)).size;
  const regions = new Set(e.byLocation.map((l) => l.region)).size;
  const perRule = e.rules.map((r) => `${r.sourceIdentifier}: ${countsText(r.counts)}`).join('; ');
  const out = [
    `AWS Config evaluated ${plural(e.rules.length, 'mapped managed rule')}${accounts ? ` in ${plural(accounts, 'account')} and ${plural(regions, 'region')}` : ''}: ${total('COMPLIANT')} compliant and ${total('NON_COMPLIANT')} non-compliant distinct results (${perRule}).`,
  ];
  if (e.findingsTotal) {
    const named = e.findings.slice(0, COMMENT_FINDINGS).map(findingText).join('; ');
    const rest = e.findingsTotal - Math.min(e.findings.length, COMMENT_FINDINGS);
    out.push(`Failing: ${named}${rest > 0 ? `; and ${plural(rest, 'more non-compliant result')} (csv/evidence.csv)` : ''}.`);
  }
  if (f.unrecordedLocations.length) out.push(`No evidence from ${f.unrecordedLocations.join(', ')}, where the AWS Config recorder was not recording.`);
  if (f.collectionGaps) out.push(`${plural(f.collectionGaps, 'AWS Config collection gap')} left the evidence incomplete.`);
  return out;
}

const COUNT_WORDS = { COMPLIANT: 'compliant', NON_COMPLIANT: 'non-compliant', NOT_APPLICABLE: 'not applicable', INSUFFICIENT_DATA: 'insufficient data' } as const;
const countsText = (counts: ComplianceCounts) =>
  (Object.keys(COUNT_WORDS) as (keyof ComplianceCounts)[])
    .filter((k) => counts[k])
    .map((k) => `${counts[k]} ${COUNT_WORDS[k]}`)
    .join(', ') || 'no results';

const findingText = (x: Finding) => `${x.resourceId} (${x.resourceType}, account ${x.accountId}, ${x.region}, ${x.sourceIdentifier})`;

/** AWS's part of a shared or inherited control: the reports that evidence it, and those that do not count and why. */
function awsSentences(f: CommentFacts): string[] {
  if (!f.awsHalf) {
    // Assessed as the customer's, though AWS implements it for some services in use: say that part was not looked at.
    const aws = SERVICE_CATEGORIES.filter((c) => f.responsibilityByCategory[c] !== undefined && f.responsibilityByCategory[c] !== 'customer');
    return aws.length ? [`AWS's part for ${aws.join(' and ')} services is not assessed here: the control is assessed as the customer's, its most demanding responsibility.`] : [];
  }
  const e = f.evidence;
  const reports = e.reports.map((r) => `${r.name}${r.period ? ` (period ${r.period.start} to ${r.period.end})` : ''}`).join('; ');
  const excluded = e.reportsExcluded.map((r) => `${r.name} does not count: ${r.reasons.join('; ')}.`);
  return [f.awsHalf.evidenced ? `AWS's part is evidenced by the AWS Artifact reports ${reports}.` : "No AWS Artifact report in scope evidences AWS's part.", ...excluded];
}

/** Where a reader of the annex needs to know a record is last quarter's answer, not this one's. */
const carried = (r: { carriedForwardFrom?: CarriedForwardRef }) => (r.carriedForwardFrom ? `, carried forward from pack ${r.carriedForwardFrom.packId} (${r.carriedForwardFrom.period})` : '');
