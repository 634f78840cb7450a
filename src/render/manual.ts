import type { AssessmentResult } from '../assess/result';
import type { EvidencePack } from '../evidence/reader';
import type { Attestation, RiskException } from '../evidence/records';

/**
 * Whether the assessment relied on a manual record: only the assessment judges expiry, so a
 * record no assessed control refers to (e.g. one for a control outside the baseline) is "unused".
 */
export type ManualState = 'valid' | 'expired' | 'unused';

export interface ManualEvidence {
  attestations: (Attestation & { state: ManualState })[];
  exceptions: (RiskException & { state: ManualState })[];
}

/** Reads the pack's attestations and risk acceptances, labelled with how the assessment used them. */
export async function loadManualEvidence(result: AssessmentResult, pack: EvidencePack): Promise<ManualEvidence> {
  const attested = new Map<string, boolean>();
  const excepted = new Map<string, boolean>();
  for (const c of result.controls) {
    for (const a of c.evidence.attestations) attested.set(a.id, a.expired);
    for (const e of c.evidence.exceptions) excepted.set(e.id, e.expired);
  }
  const state = (expired: boolean | undefined): ManualState => (expired === undefined ? 'unused' : expired ? 'expired' : 'valid');

  const manual: ManualEvidence = { attestations: [], exceptions: [] };
  for await (const a of pack.records('attestations')) manual.attestations.push({ ...a, state: state(attested.get(a.id)) });
  for await (const e of pack.records('exceptions')) manual.exceptions.push({ ...e, state: state(excepted.get(e.id)) });
  return manual;
}
