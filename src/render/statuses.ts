import type { Responsibility, Status } from '../assess/result';

/** How each status reads in prose outputs; the machine-readable outputs keep the status ids. */
export const STATUS_LABELS: Record<Status, string> = {
  'non-compliant': 'Non-compliant',
  'insufficient-evidence': 'Insufficient evidence',
  'attestation-expired': 'Attestation expired',
  'inherited-evidence-missing': 'Inherited, evidence missing',
  'not-assessed': 'Not assessed',
  'risk-accepted': 'Risk accepted',
  attested: 'Attested',
  'inherited-evidenced': 'Inherited, evidenced',
  compliant: 'Compliant',
  'not-applicable': 'Not applicable',
};

/** Printed in the report appendix so a reader can interpret every status without other documents. */
export const STATUS_DEFINITIONS: Record<Status, string> = {
  'non-compliant': 'At least one AWS Config rule mapped to the control found a resource in scope that does not meet it.',
  'insufficient-evidence':
    'Automated evidence was expected but is incomplete: the mapped rules gave no applicable result, the configuration recorder was not recording in an account and region in scope, or collection failed.',
  'attestation-expired': 'The control relies on a manual attestation whose validity ended before the assessment date.',
  'inherited-evidence-missing': 'AWS implements the control, but the pack holds no published AWS Artifact report that covers it.',
  'not-assessed': 'No AWS Config rule is mapped to the control and no attestation covers it; it needs a manual assessment.',
  'risk-accepted': 'A current, approved risk acceptance covers the control; it has an owner, a rationale and an expiry date.',
  attested: 'A current manual attestation covers the control; its attachments are hashed in the evidence pack.',
  'inherited-evidenced': 'AWS implements the control, and a published AWS Artifact report in the pack covers it.',
  compliant: 'The mapped AWS Config rules evaluated resources and found none non-compliant, with every account and region in scope recording.',
  'not-applicable': 'The control was declared not applicable to this system.',
};

export const RESPONSIBILITY_LABELS: Record<Responsibility, string> = {
  customer: 'Customer',
  shared: 'Shared',
  inherited: 'Inherited',
};
