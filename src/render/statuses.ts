import { type Responsibility, type ServiceCategory, type Status } from '../assess/result';

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
  'non-compliant':
    'At least one AWS Config rule mapped to the control found a resource in scope that does not meet it, a person recorded a mapped AWS Config process check as non-compliant, or (for the data residency controls) a resource lies outside the allowed regions.',
  'insufficient-evidence':
    'Automated evidence was expected but is incomplete: the mapped rules gave no applicable result, the configuration recorder was not recording in an account and region in scope, or collection failed.',
  'attestation-expired': 'The control relies on a manual attestation, or an AWS Config process check result, whose validity ended before the assessment date.',
  'inherited-evidence-missing':
    'AWS implements the control, but no published AWS Artifact report in the pack covers it within its scope: an assurance level that reaches the control, every service in use, and a period that ended within 12 months.',
  'not-assessed': 'No AWS Config rule is mapped to the control and no attestation covers it; it needs a manual assessment.',
  'risk-accepted':
    'A current, approved risk acceptance covers a control that would otherwise be non-compliant, insufficiently evidenced, not assessed or attestation-expired; it has an owner, a rationale and an expiry date.',
  attested:
    'A current manual attestation covers the control (its attachments are hashed in the evidence pack), or a person recorded the mapped AWS Config process checks as compliant, with an annotation, within their validity.',
  'inherited-evidenced': 'AWS implements the control, and a published AWS Artifact report in the pack covers it within its assurance level, service scope and currency.',
  compliant: 'The mapped AWS Config rules evaluated resources and found none non-compliant, with every account and region in scope recording and no collection gap.',
  'not-applicable': 'The system owner declared the control not applicable to this system, and no evidence shows it failing.',
};

/**
 * Status colours, shared by the PDF/HTML badges and charts and the XLSX fills. The fills come from
 * published colour-blind-safe palettes: Paul Tol's (https://personal.sron.nl/~pault/: bright, muted,
 * light, medium- and high-contrast schemes), Okabe and Ito's (orange), and two neutral greys. They
 * were chosen so that no two statuses are closer than PALETTE_MARGINS allow in CIE L* lightness
 * (apart in greyscale print and for every kind of colour blindness) nor in CIE76 colour difference
 * under the Machado et al. (2009) simulations of protanopia, deuteranopia and tritanopia, with
 * badge text of WCAG contrast 4.5 or more; test/render-palette.test.ts checks all three. Badges
 * always carry their text and every bar has labels and a legend, so colour is never the only cue.
 */
export const STATUS_COLOURS: Record<Status, { fill: string; text: string }> = {
  'non-compliant': { fill: '#994455', text: '#FFFFFF' }, // Tol medium-contrast dark red, L* 40
  'insufficient-evidence': { fill: '#E69F00', text: '#000000' }, // Okabe-Ito orange, L* 71
  'attestation-expired': { fill: '#EEDD88', text: '#000000' }, // Tol light yellow, L* 88
  'inherited-evidence-missing': { fill: '#CC6677', text: '#000000' }, // Tol muted rose, L* 56
  'not-assessed': { fill: '#999999', text: '#000000' }, // neutral grey, L* 63
  'risk-accepted': { fill: '#332288', text: '#FFFFFF' }, // Tol muted indigo, L* 22
  attested: { fill: '#66CCEE', text: '#000000' }, // Tol bright cyan, L* 77
  'inherited-evidenced': { fill: '#004488', text: '#FFFFFF' }, // Tol high-contrast blue, L* 29
  compliant: { fill: '#228833', text: '#FFFFFF' }, // Tol bright green, L* 50
  'not-applicable': { fill: '#EEEEEE', text: '#000000' }, // neutral light grey, L* 94
};

/** Thresholds the palette is held to (test/render-palette.test.ts), documented in docs/report.md. */
export const PALETTE_MARGINS = { lightness: 6, simulatedDifference: 12, textContrast: 4.5 } as const;

// Part of the result's contract (diffing needs it too); re-exported beside the other status lookups.
export { ATTENTION_STATUSES, needsAttention } from '../assess/result';
/** The statuses backed by evidence that the control is met (or, for inherited controls, covered by AWS). */
export const EVIDENCED_STATUSES: readonly Status[] = ['attested', 'inherited-evidenced', 'compliant'];

export const RESPONSIBILITY_LABELS: Record<Responsibility, string> = {
  customer: 'Customer',
  shared: 'Shared',
  inherited: 'Inherited',
};

export const CATEGORY_LABELS: Record<ServiceCategory, string> = {
  infrastructure: 'Infrastructure',
  container: 'Container',
  abstracted: 'Abstracted',
};

/** What each service category means for who implements a control (the shared responsibility model). */
export const CATEGORY_NOTES: Record<ServiceCategory, string> = {
  infrastructure: 'The organisation runs the guest operating system, applications, network and firewall configuration, identity, availability and data protection.',
  container: 'AWS also runs the operating system and platform; the organisation runs data, network access (VPC), database users, availability choices and data protection.',
  abstracted: 'AWS also runs availability, scaling and server-side encryption; the organisation runs data, client-side encryption and access policies.',
};
