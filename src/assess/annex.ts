import type { Responsibility, ServiceCategory } from '../mapping/responsibility';

/**
 * The implementation statuses of ASD's system security plan annex, in the annex's own words
 * (the machine values of the result, CSV and XLSX are exactly these strings). auditpack decides
 * one per control from its status (docs/assessment-result.md, "SSP annex"); it never decides
 * Alternate control, which only a person who knows the compensating control can record.
 */
export const IMPLEMENTATION_STATUSES = [
  'Effective',
  'Alternate control',
  'Common control',
  'Ineffective',
  'No visibility',
  'Not implemented',
  'Not applicable',
  'Not assessed',
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/**
 * The values an attestation may state: the control is implemented, by the system itself, by an
 * alternate (compensating) control, or by a common control another system provides. The others
 * say it is not implemented, so a person answering with one has nothing to attest.
 */
export const ATTESTED_IMPLEMENTATIONS = ['Effective', 'Alternate control', 'Common control'] as const satisfies readonly ImplementationStatus[];
export type AttestedImplementation = (typeof ATTESTED_IMPLEMENTATIONS)[number];
export const isAttestedImplementation = (s: ImplementationStatus): s is AttestedImplementation => (ATTESTED_IMPLEMENTATIONS as readonly string[]).includes(s);

/**
 * The annex's responsibility column, in the control types of AWS's shared responsibility model:
 * who implements the control for the system as a whole.
 */
export const ANNEX_RESPONSIBILITIES = ['Customer-specific', 'Shared', 'Inherited'] as const;
export type AnnexResponsibility = (typeof ANNEX_RESPONSIBILITIES)[number];

const ANNEX_OF: Record<Responsibility, AnnexResponsibility> = { customer: 'Customer-specific', shared: 'Shared', inherited: 'Inherited' };

/**
 * One responsibility for the annex from the per-category ones in use. Where the categories
 * agree it is theirs; where they differ (inherited for S3, the customer's for EC2), both AWS
 * and the customer implement a part of the control for this system, so it is Shared, and the
 * implementation comments name the split.
 */
export function annexResponsibility(byCategory: Partial<Record<ServiceCategory, Responsibility>>, governing: Responsibility): AnnexResponsibility {
  const used = new Set(Object.values(byCategory));
  if (used.size > 1) return 'Shared';
  return ANNEX_OF[used.values().next().value ?? governing];
}
