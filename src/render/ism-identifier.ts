import type { ControlAssessment } from '../assess/result';

/**
 * A control's identifier as the ISM prints it (`ISM-1234`; principles by their label, `GOV-01`):
 * the SSP annex's Identifier column and the ref_id of a CISO Assistant requirement.
 */
export function ismIdentifier(c: ControlAssessment): string {
  return c.kind === 'principle' && c.label ? c.label.toUpperCase() : c.id.toUpperCase();
}
