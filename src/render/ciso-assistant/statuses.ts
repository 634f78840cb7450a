import type { Status } from '../../assess/result';

/** CISO Assistant's requirement assessment result (its `RequirementAssessment.Result`). */
export type RequirementResult = 'compliant' | 'non_compliant' | 'partially_compliant' | 'not_applicable' | 'not_assessed';
/** CISO Assistant's requirement assessment status, which its audit import reads as `requirement_progress`. */
export type RequirementProgress = 'to_do' | 'in_progress' | 'in_review' | 'done';

/**
 * Our statuses in CISO Assistant's terms. The mapping never claims more than the evidence shows:
 * a control is `compliant` only with evidence that it is met, a risk acceptance does not make a
 * control met, and missing or incomplete evidence is `not_assessed`. docs/ciso-assistant.md gives
 * the reason for each row.
 */
export const CISO_ASSISTANT_STATUS: Record<Status, { result: RequirementResult; progress: RequirementProgress }> = {
  'non-compliant': { result: 'non_compliant', progress: 'done' },
  'insufficient-evidence': { result: 'not_assessed', progress: 'in_progress' },
  'attestation-expired': { result: 'not_assessed', progress: 'in_progress' },
  'inherited-evidence-missing': { result: 'not_assessed', progress: 'in_progress' },
  'not-assessed': { result: 'not_assessed', progress: 'to_do' },
  'risk-accepted': { result: 'non_compliant', progress: 'done' },
  attested: { result: 'compliant', progress: 'done' },
  'inherited-evidenced': { result: 'compliant', progress: 'done' },
  compliant: { result: 'compliant', progress: 'done' },
  'not-applicable': { result: 'not_applicable', progress: 'done' },
};
