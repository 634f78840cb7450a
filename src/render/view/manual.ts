import type { AssessmentResult, ManualState, Status } from '../../assess/result';
import { more, XLSX } from './format';
import { LIMITS } from './limits';

const MANUAL_STATE_LABELS: Record<ManualState, string> = { valid: 'Valid', expired: 'Expired', unused: 'Not used' };
/** The assessment status whose colour each manual evidence state borrows (the same meaning). */
const MANUAL_STATE_COLOURS: Record<ManualState, Status> = { valid: 'compliant', expired: 'attestation-expired', unused: 'not-applicable' };

export function manualView(manual: AssessmentResult['manualEvidence']) {
  const state = (s: ManualState) => ({ label: MANUAL_STATE_LABELS[s], cls: `st-${MANUAL_STATE_COLOURS[s]}` });
  return {
    attestations: manual.attestations.slice(0, LIMITS.attestations).map((a) => ({ ...a, controls: a.controlIds.join(', '), state: state(a.state) })),
    attestationsMore: more(manual.attestations.length - LIMITS.attestations, XLSX('Attestations', 'attestations.csv')),
    exceptions: manual.exceptions.slice(0, LIMITS.exceptions).map((e) => ({ ...e, controls: e.controlIds.join(', '), state: state(e.state) })),
    exceptionsMore: more(manual.exceptions.length - LIMITS.exceptions, XLSX('Exceptions', 'exceptions.csv')),
  };
}
