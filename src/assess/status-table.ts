import type { ImplementationStatus } from './annex';

interface StatusRow {
  /** How the status reads in prose outputs; machine-readable outputs keep the status id. */
  label: string;
  /** How a count of controls in the status reads inside a sentence, after the count. */
  phrase: string;
  /** Printed in the report appendix so a reader can interpret every status without other documents. */
  definition: string;
  /** The SSP annex implementation status it stands for (adjusted only as docs/assessment-result.md says). */
  implementation: ImplementationStatus;
  /** Why that annex value, printed beside it in docs and the report. */
  annexReason: string;
  /** Badge, chart and XLSX fill, with badge text of enough contrast (see below). */
  colour: { fill: string; text: string };
}

/**
 * Every status and everything that depends on it alone, one row each, ordered from most to
 * least in need of attention (renderers sort and colour by this order). Lookups elsewhere
 * (labels, colours, XLSX styles, the annex value) are views of this table.
 *
 * The fills come from published colour-blind-safe palettes: Paul Tol's
 * (https://personal.sron.nl/~pault/: bright, muted, light, medium- and high-contrast schemes),
 * Okabe and Ito's (orange), and two neutral greys. They were chosen so that no two statuses are
 * closer than PALETTE_MARGINS (src/render/statuses.ts) allow in CIE L* lightness (apart in
 * greyscale print and for every kind of colour blindness) nor in CIE76 colour difference under
 * the Machado et al. (2009) simulations of protanopia, deuteranopia and tritanopia, with badge
 * text of WCAG contrast 4.5 or more; test/render-palette.test.ts checks all three. Badges always
 * carry their text and every bar has labels and a legend, so colour is never the only cue.
 */
export const STATUS_TABLE = {
  'non-compliant': {
    label: 'Non-compliant',
    phrase: 'non-compliant',
    definition:
      'At least one AWS Config rule mapped to the control found a resource in scope that does not meet it, a person recorded a mapped AWS Config process check as non-compliant, or (for the data residency controls) a resource lies outside the allowed regions.',
    implementation: 'Ineffective',
    annexReason: 'The evidence shows the control in place but failing for resources in scope (or recorded as failing by a person).',
    colour: { fill: '#994455', text: '#FFFFFF' }, // Tol medium-contrast dark red, L* 40
  },
  'insufficient-evidence': {
    label: 'Insufficient evidence',
    phrase: 'with insufficient evidence',
    definition:
      'Automated evidence was expected but is incomplete: the mapped rules gave no applicable result, the configuration recorder was not recording in an account and region in scope, or collection failed.',
    implementation: 'No visibility',
    annexReason:
      'The evidence that would show the implementation could not be seen across the whole scope: nothing shows it failing, so Ineffective would overstate, and nothing shows it working everywhere, so Effective would overclaim.',
    colour: { fill: '#E69F00', text: '#000000' }, // Okabe-Ito orange, L* 71
  },
  'attestation-expired': {
    label: 'Attestation expired',
    phrase: 'relying on an expired attestation',
    definition: 'The control relies on a manual attestation, or an AWS Config process check result, whose validity ended before the assessment date.',
    implementation: 'Ineffective',
    annexReason: 'The control was assessed and rests on a periodic attestation the organisation let lapse: keeping it current is part of operating the control.',
    colour: { fill: '#EEDD88', text: '#000000' }, // Tol light yellow, L* 88
  },
  'inherited-evidence-missing': {
    label: 'Inherited, evidence missing',
    phrase: 'inherited from AWS with no AWS Artifact report in scope as evidence',
    definition:
      'AWS implements the control, but no published AWS Artifact report in the pack covers it within its scope: an assurance level that reaches the control, every service in use, and a period that ended within 12 months.',
    implementation: 'No visibility',
    annexReason: "The control is the provider's, and no report in scope lets the assessor see AWS's implementation.",
    colour: { fill: '#CC6677', text: '#000000' }, // Tol muted rose, L* 56
  },
  'not-assessed': {
    label: 'Not assessed',
    phrase: 'not assessed',
    definition: 'No AWS Config rule is mapped to the control and no attestation covers it; it needs a manual assessment.',
    implementation: 'Not assessed',
    annexReason: "No evidence bears on the control: it keeps the annex's default until someone assesses it.",
    colour: { fill: '#999999', text: '#000000' }, // neutral grey, L* 63
  },
  'risk-accepted': {
    label: 'Risk accepted',
    phrase: 'risk accepted',
    definition:
      'A current, approved risk acceptance covers a control that would otherwise be non-compliant, insufficiently evidenced, not assessed or attestation-expired; it has an owner, a rationale and an expiry date.',
    implementation: 'Not implemented',
    annexReason:
      'A risk acceptance does not make a control met: the control keeps the annex value of the status it covers (Ineffective or No visibility), and a control accepted without any other evidence is Not implemented, the risk of not implementing it being what was accepted.',
    colour: { fill: '#332288', text: '#FFFFFF' }, // Tol muted indigo, L* 22
  },
  attested: {
    label: 'Attested',
    phrase: 'attested',
    definition:
      'A current manual attestation covers the control (its attachments are hashed in the evidence pack), or a person recorded the mapped AWS Config process checks as compliant, with an annotation, within their validity.',
    implementation: 'Effective',
    annexReason: 'A current attestation, or process check results with annotations, evidence that the control is implemented and operating.',
    colour: { fill: '#66CCEE', text: '#000000' }, // Tol bright cyan, L* 77
  },
  'inherited-evidenced': {
    label: 'Inherited, evidenced',
    phrase: 'inherited from AWS and evidenced by AWS Artifact reports',
    definition: 'AWS implements the control, and a published AWS Artifact report in the pack covers it within its assurance level, service scope and currency.',
    implementation: 'Common control',
    annexReason: 'The control is inherited from the provider, and a report in scope evidences its implementation.',
    colour: { fill: '#004488', text: '#FFFFFF' }, // Tol high-contrast blue, L* 29
  },
  compliant: {
    label: 'Compliant',
    phrase: 'compliant on automated evidence',
    definition: 'The mapped AWS Config rules evaluated resources and found none non-compliant, with every account and region in scope recording and no collection gap.',
    implementation: 'Effective',
    annexReason: 'Automated evaluations across the whole scope found the control met everywhere it was tested.',
    colour: { fill: '#228833', text: '#FFFFFF' }, // Tol bright green, L* 50
  },
  'not-applicable': {
    label: 'Not applicable',
    phrase: 'declared not applicable',
    definition: 'The system owner declared the control not applicable to this system, and no evidence shows it failing.',
    implementation: 'Not applicable',
    annexReason: "The system owner's declaration, with its approver and date, stands unopposed by the evidence.",
    colour: { fill: '#EEEEEE', text: '#000000' }, // neutral light grey, L* 94
  },
} as const satisfies Record<string, StatusRow>;

export type Status = keyof typeof STATUS_TABLE;
/** The statuses in the table's order. */
export const STATUSES = Object.keys(STATUS_TABLE) as readonly Status[];

/** A view of one column of the table, keyed by status. */
export function statusColumn<K extends keyof StatusRow>(column: K): Record<Status, StatusRow[K]> {
  return Object.fromEntries(STATUSES.map((s) => [s, STATUS_TABLE[s][column]])) as Record<Status, StatusRow[K]>;
}
