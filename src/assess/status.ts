import type { AttestationRef, ExceptionRef, ReportRef, Responsibility, RuleEvidence, Status } from './result';

/** What is known about one control's evidence; the status follows from this alone. */
export interface ControlFacts {
  responsibility: Responsibility;
  /** Config rule identifiers mapped to the control. */
  mappedRules: string[];
  /** The results of those of them found in the pack, summed over the estate per rule. */
  results: Pick<RuleEvidence, 'sourceIdentifier' | 'counts'>[];
  /** In-scope locations whose configuration recorder was not recording. */
  unrecordedLocations: string[];
  /** Collection gaps that leave the control's automated evidence incomplete. */
  collectionGaps: number;
  /** Published Artifact reports that evidence the control (only used when it is inherited). */
  reports: ReportRef[];
  attestations: AttestationRef[];
  exceptions: ExceptionRef[];
  /** Resources outside the allowed regions, counted against the controls data residency bears on. */
  residencyFindings: number;
  /** The system owner's reason for declaring the control not applicable, or null. */
  notApplicable: string | null;
}

export interface Decision {
  status: Status;
  rationale: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The status rules (docs/assessment-result.md, "Statuses"). They never call a control
 * compliant or attested without evidence in the pack, and they prefer the status that
 * needs attention when evidence disagrees.
 */
export function decideStatus(f: ControlFacts): Decision {
  // A declaration of not applicable cannot stand against evidence that the control is failing.
  if (f.notApplicable !== null && !failing(f).length && !f.residencyFindings) {
    return { status: 'not-applicable', rationale: `Declared not applicable: ${f.notApplicable}` };
  }
  if (f.responsibility === 'inherited' && !f.residencyFindings) {
    if (f.reports.length) return { status: 'inherited-evidenced', rationale: `Inherited from AWS; evidenced by ${f.reports.map((r) => r.name).join(', ')}.` };
    return { status: 'inherited-evidence-missing', rationale: 'Inherited from AWS, but the pack holds no AWS Artifact report that evidences it.' };
  }
  const decision = decideCustomerStatus(f);
  const activeException = f.exceptions.find((e) => !e.expired);
  const needsException = ['non-compliant', 'insufficient-evidence', 'not-assessed', 'attestation-expired'].includes(decision.status);
  if (activeException && needsException) {
    return { status: 'risk-accepted', rationale: `Risk accepted by ${activeException.approvedBy} until ${activeException.expiresOn} (${activeException.id}); otherwise: ${decision.rationale}` };
  }
  return decision;
}

const failing = (f: ControlFacts) => f.results.filter((r) => r.counts.NON_COMPLIANT);
const total = (f: ControlFacts, type: 'COMPLIANT' | 'NON_COMPLIANT') => f.results.reduce((n, r) => n + r.counts[type], 0);

function decideCustomerStatus(f: ControlFacts): Decision {
  if (f.residencyFindings) return { status: 'non-compliant', rationale: `${plural(f.residencyFindings, 'resource')} outside the allowed regions.` };
  if (f.mappedRules.length) {
    const [COMPLIANT, NON_COMPLIANT] = [total(f, 'COMPLIANT'), total(f, 'NON_COMPLIANT')];
    if (NON_COMPLIANT) {
      return { status: 'non-compliant', rationale: `${plural(NON_COMPLIANT, 'resource evaluation')} non-compliant: ${failing(f).map((r) => `${r.sourceIdentifier} (${r.counts.NON_COMPLIANT})`).join(', ')}.` };
    }
    if (!COMPLIANT) return { status: 'insufficient-evidence', rationale: `No applicable result in the pack from ${f.mappedRules.join(', ')}.` };
    if (f.unrecordedLocations.length) {
      return {
        status: 'insufficient-evidence',
        rationale: `${plural(COMPLIANT, 'compliant evaluation')}, but no evidence from ${f.unrecordedLocations.join(', ')} where the configuration recorder was not recording.`,
      };
    }
    if (f.collectionGaps) return { status: 'insufficient-evidence', rationale: `${plural(COMPLIANT, 'compliant evaluation')}, but ${plural(f.collectionGaps, 'collection gap')} left the evidence incomplete.` };
    return { status: 'compliant', rationale: `${plural(COMPLIANT, 'compliant evaluation')} and none non-compliant from ${f.results.map((r) => r.sourceIdentifier).join(', ')}.` };
  }
  const valid = f.attestations.find((a) => !a.expired);
  if (valid) return { status: 'attested', rationale: `Attested by ${valid.attester} on ${valid.attestedOn}, valid until ${valid.validUntil} (${valid.id}).` };
  const expired = f.attestations[0];
  if (expired) return { status: 'attestation-expired', rationale: `The attestation ${expired.id} expired on ${expired.validUntil}.` };
  return { status: 'not-assessed', rationale: 'No automated evidence maps to this control and nothing attests it: manual review needed.' };
}
