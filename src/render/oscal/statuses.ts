import type { Status } from '../../assess/result';
import type { ObjectiveReason, ObjectiveState, RiskStatus } from './model';

/**
 * How each auditpack status reads as an OSCAL objective status (docs/oscal.md, "Statuses").
 * OSCAL has two states only, so every status that does not show the control met is
 * not-satisfied; the status itself travels with the finding as an auditpack prop.
 */
export const OBJECTIVE_STATUS: Record<Status, { state: ObjectiveState; reason: ObjectiveReason }> = {
  'non-compliant': { state: 'not-satisfied', reason: 'fail' },
  'insufficient-evidence': { state: 'not-satisfied', reason: 'other' },
  'attestation-expired': { state: 'not-satisfied', reason: 'other' },
  'inherited-evidence-missing': { state: 'not-satisfied', reason: 'other' },
  // Nothing was assessed, so nothing shows the control met: never satisfied by default.
  'not-assessed': { state: 'not-satisfied', reason: 'other' },
  // An accepted risk is a deviation from the control, not its satisfaction.
  'risk-accepted': { state: 'not-satisfied', reason: 'other' },
  attested: { state: 'satisfied', reason: 'pass' },
  'inherited-evidenced': { state: 'satisfied', reason: 'pass' },
  compliant: { state: 'satisfied', reason: 'pass' },
  // The system owner's approved declaration: the control asks nothing of this system.
  'not-applicable': { state: 'satisfied', reason: 'other' },
};

/** The statuses that carry an OSCAL risk (and so a POA&M item), with the risk's status. */
export const RISK_STATUS: Partial<Record<Status, RiskStatus>> = {
  'non-compliant': 'open',
  'risk-accepted': 'deviation-approved',
};
