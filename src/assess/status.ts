import type { NotApplicableDeclaration } from '../mapping/mappings';
import type { Responsibility } from '../mapping/responsibility';
import { isAttestedImplementation, type AttestedImplementation, type ImplementationStatus } from './annex';
import type { AttestationRef, AwsHalf, ExceptionRef, ExcludedReport, ProcessCheckRef, ReportRef, RuleEvidence } from './result';
import { plural } from '../util/plural';
import { STATUS_TABLE, type Status } from './status-table';

/** What is known about one control's evidence; the status follows from this alone. */
export interface ControlFacts {
  responsibility: Responsibility;
  /** Config rule identifiers mapped to the control. */
  mappedRules: string[];
  /** The distinct results of those of them found in the pack, per rule. */
  results: Pick<RuleEvidence, 'sourceIdentifier' | 'counts' | 'disagreements'>[];
  /** In-scope locations whose configuration recorder was not recording. */
  unrecordedLocations: string[];
  /** Collection gaps that leave the control's automated evidence incomplete. */
  collectionGaps: number;
  /** Published Artifact reports that evidence AWS's half, after scoping (only used when it is shared or inherited). */
  reports: ReportRef[];
  /** Reports of a mapped series that do not evidence it, with the reasons. */
  reportsExcluded: ExcludedReport[];
  attestations: AttestationRef[];
  /** Results of the process checks mapped to the control, one per account. */
  processChecks: ProcessCheckRef[];
  exceptions: ExceptionRef[];
  /** Resources outside the allowed regions, counted against the controls data residency bears on. */
  residencyFindings: number;
  /** The system owner's declaration that the control is not applicable (reason, approver and date), or null. */
  notApplicable: NotApplicableDeclaration | null;
}

export interface Decision {
  status: Status;
  rationale: string;
  awsHalf: AwsHalf | null;
  implementation: ImplementationStatus;
}

/**
 * The customer's (or, for inherited controls, AWS's) status; for risk-accepted the status the
 * acceptance covers; for attested the implementation the attestation relied on states, if any.
 */
type ControlDecision = Pick<Decision, 'status' | 'rationale'> & { covered?: Status; stated?: AttestedImplementation };

/**
 * The status rules (docs/assessment-result.md, "Statuses"). They never call a control
 * compliant or attested without evidence in the pack, and they prefer the status that
 * needs attention when evidence disagrees. A shared control's status follows the customer's
 * half; AWS's half is decided beside it.
 */
export function decideStatus(f: ControlFacts): Decision {
  const awsHalf = f.responsibility === 'customer' ? null : decideAwsHalf(f);
  const { covered, stated, ...decision } = decideControl(f, awsHalf);
  return { ...decision, awsHalf, implementation: decideImplementation(decision.status, awsHalf, covered ?? null, stated ?? null) };
}

/**
 * The SSP annex implementation status (docs/assessment-result.md, "SSP annex"): the table's value
 * for the status, with three refinements the table cannot hold. A risk acceptance keeps the value
 * of the status it covers, Not implemented when that was not assessed; an attested control takes
 * the implementation its attestation states (Alternate control, Common control: only a person can
 * say so); and a shared control whose customer half is implemented but whose AWS half no report
 * evidences is No visibility, since half of its implementation could not be seen.
 */
export function decideImplementation(status: Status, awsHalf: AwsHalf | null, covered: Status | null, stated: AttestedImplementation | null = null): ImplementationStatus {
  if (status === 'risk-accepted' && covered !== null) {
    const under = decideImplementation(covered, awsHalf, null);
    return under === 'Not assessed' ? STATUS_TABLE['risk-accepted'].implementation : under;
  }
  const value: ImplementationStatus = status === 'attested' && stated !== null ? stated : STATUS_TABLE[status].implementation;
  return awsHalf?.evidenced === false && isAttestedImplementation(value) ? 'No visibility' : value;
}

function decideControl(f: ControlFacts, awsHalf: AwsHalf | null): ControlDecision {
  // A declaration of not applicable cannot stand against evidence that the control is failing.
  if (f.notApplicable !== null && !failing(f).length && !failingChecks(f).length && !f.residencyFindings) {
    const { rationale, approval } = f.notApplicable;
    return { status: 'not-applicable', rationale: `Declared not applicable${approval ? ` by ${approval.by} on ${approval.on}` : ''}: ${rationale}` };
  }
  if (f.responsibility === 'inherited' && !f.residencyFindings && awsHalf) {
    return awsHalf.evidenced
      ? { status: 'inherited-evidenced', rationale: `Inherited from AWS; ${awsHalf.rationale}` }
      : { status: 'inherited-evidence-missing', rationale: `Inherited from AWS, but ${awsHalf.rationale}` };
  }
  const decision = decideCustomerStatus(f);
  const activeException = f.exceptions.find((e) => !e.expired);
  const needsException = ['non-compliant', 'insufficient-evidence', 'not-assessed', 'attestation-expired'].includes(decision.status);
  if (activeException && needsException) {
    return {
      status: 'risk-accepted',
      rationale: `Risk accepted by ${activeException.approvedBy} until ${activeException.expiresOn} (${activeException.id}); otherwise: ${decision.rationale}`,
      covered: decision.status,
    };
  }
  return decision;
}

/** AWS's half: evidenced when at least one report in scope covers it; every report left out says why. */
export function decideAwsHalf(f: Pick<ControlFacts, 'reports' | 'reportsExcluded'>): AwsHalf {
  const excluded = f.reportsExcluded.map((r) => `${r.name} does not count: ${r.reasons.join('; ')}`).join('. ');
  if (f.reports.length) {
    return { evidenced: true, rationale: `evidenced by ${f.reports.map((r) => r.name).join(', ')}.${excluded ? ` ${excluded}.` : ''}` };
  }
  if (excluded) return { evidenced: false, rationale: `no AWS Artifact report in the pack evidences AWS's part. ${excluded}.` };
  return { evidenced: false, rationale: "the pack holds no AWS Artifact report that evidences AWS's part." };
}

const failing = (f: ControlFacts) => f.results.filter((r) => r.counts.NON_COMPLIANT);
const failingChecks = (f: ControlFacts) => f.processChecks.filter((p) => p.complianceType === 'NON_COMPLIANT');
/** A process check recorded compliant counts as an attestation only with the person's annotation. */
const attestingChecks = (f: ControlFacts) => f.processChecks.filter((p) => p.complianceType === 'COMPLIANT' && p.annotation);
const total = (f: ControlFacts, type: 'COMPLIANT' | 'NON_COMPLIANT') => f.results.reduce((n, r) => n + r.counts[type], 0);
/** Process check results as evidence: accounts that recorded the same words on the same day are named together. */
function checkText(checks: readonly ProcessCheckRef[]): string {
  const groups = new Map<string, { check: ProcessCheckRef; accounts: string[] }>();
  for (const p of checks) {
    const key = JSON.stringify([p.name, p.annotation, p.resultRecordedTime.slice(0, 10)]);
    const group = groups.get(key);
    if (group) group.accounts.push(p.accountId);
    else groups.set(key, { check: p, accounts: [p.accountId] });
  }
  return [...groups.values()]
    .map(({ check: p, accounts }) => `process check ${p.name} (${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}, recorded ${p.resultRecordedTime.slice(0, 10)}${p.annotation ? `: "${p.annotation}"` : ''})`)
    .join(', ');
}

/** Says where deployments of a rule judged a resource differently, and which result counted. */
function disagreementText(f: ControlFacts): string {
  const split = f.results.filter((r) => r.disagreements.resources);
  if (!split.length) return '';
  const parts = split.map((r) => {
    const why = r.disagreements.differentParameters ? `${r.disagreements.differentParameters} with different input parameters` : 'same parameters, several Regions or conformance packs';
    return `${r.sourceIdentifier} on ${plural(r.disagreements.resources, 'resource')} (${why})`;
  });
  return ` Deployments disagree for ${parts.join(', ')}: the stricter result counts.`;
}

function decideCustomerStatus(f: ControlFacts): ControlDecision {
  if (f.residencyFindings) return { status: 'non-compliant', rationale: `${plural(f.residencyFindings, 'resource')} outside the allowed regions.` };
  const [COMPLIANT, NON_COMPLIANT] = [total(f, 'COMPLIANT'), total(f, 'NON_COMPLIANT')];
  const split = disagreementText(f);
  if (NON_COMPLIANT || failingChecks(f).length) {
    const parts = [
      ...(NON_COMPLIANT ? [`${plural(NON_COMPLIANT, 'non-compliant result')}: ${failing(f).map((r) => `${r.sourceIdentifier} (${r.counts.NON_COMPLIANT})`).join(', ')}`] : []),
      ...(failingChecks(f).length ? [`recorded non-compliant in AWS Config by ${checkText(failingChecks(f))}`] : []),
    ];
    return { status: 'non-compliant', rationale: `${parts.join('; ')}.${split}` };
  }
  if (f.mappedRules.length) {
    if (!COMPLIANT) return { status: 'insufficient-evidence', rationale: `No applicable result in the pack from ${f.mappedRules.join(', ')}.${split}` };
    if (f.unrecordedLocations.length) {
      return {
        status: 'insufficient-evidence',
        rationale: `${plural(COMPLIANT, 'compliant result')}, but no evidence from ${f.unrecordedLocations.join(', ')} where the configuration recorder was not recording.${split}`,
      };
    }
    if (f.collectionGaps) return { status: 'insufficient-evidence', rationale: `${plural(COMPLIANT, 'compliant result')}, but ${plural(f.collectionGaps, 'collection gap')} left the evidence incomplete.${split}` };
    return { status: 'compliant', rationale: `${plural(COMPLIANT, 'compliant result')} and none non-compliant from ${f.results.map((r) => r.sourceIdentifier).join(', ')}.${split}` };
  }
  return decideManualStatus(f);
}

/**
 * The current attestation the status rests on, and whose stated implementation the annex shows:
 * the one attested last (then the one valid longest, then the greater id, so the choice never
 * depends on file order). A record carried forward from an earlier pack keeps its own id, so it
 * sits beside this quarter's answer for the same control; the newer answer is the one that counts.
 */
function latestCurrent(attestations: readonly AttestationRef[]): AttestationRef | undefined {
  const by = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return attestations
    .filter((a) => !a.expired)
    .sort((a, b) => by(a.attestedOn, b.attestedOn) || by(a.validUntil, b.validUntil) || by(a.id, b.id))
    .at(-1);
}

/** Manual evidence: attestations in the pack, and process checks a person recorded in AWS Config. */
function decideManualStatus(f: ControlFacts): ControlDecision {
  const checks = attestingChecks(f);
  const staleChecks = checks.filter((p) => p.expired);
  const valid = latestCurrent(f.attestations);
  // Process checks attest together: one gone stale in any account leaves them expired.
  const checksValid = checks.length > 0 && !staleChecks.length;
  if (checksValid || valid) {
    const cited = [
      ...(checksValid ? [`Attested in AWS Config by ${checkText(checks)}, valid until ${checks.map((p) => p.validUntil).sort()[0]}`] : []),
      ...(valid ? [`Attested by ${valid.attester} on ${valid.attestedOn}, valid until ${valid.validUntil} (${valid.id})`] : []),
    ];
    const stale = staleChecks.length ? `; ${checkText(staleChecks)} expired` : '';
    return { status: 'attested', rationale: `${cited.join('; ')}${stale}.`, ...(valid?.implementation ? { stated: valid.implementation } : {}) };
  }
  const expired = f.attestations[0];
  if (staleChecks.length) {
    return { status: 'attestation-expired', rationale: `The AWS Config ${checkText(staleChecks)} expired on ${staleChecks.map((p) => p.validUntil).sort()[0]}.` };
  }
  if (expired) return { status: 'attestation-expired', rationale: `The attestation ${expired.id} expired on ${expired.validUntil}.` };
  const unexplained = f.processChecks.filter((p) => p.complianceType === 'COMPLIANT' && !p.annotation);
  if (unexplained.length) {
    return { status: 'insufficient-evidence', rationale: `The AWS Config ${checkText(unexplained)} was recorded compliant without an annotation saying what shows it.` };
  }
  return { status: 'not-assessed', rationale: 'No automated evidence maps to this control and nothing attests it: manual review needed.' };
}
