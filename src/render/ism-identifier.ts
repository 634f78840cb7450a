import type { ControlAssessment } from '../assess/result';

/**
 * A control's identifier as the ISM prints it (`ISM-1234`; principles by their label, `GOV-01`):
 * the SSP annex's Identifier column, the ref_id of a CISO Assistant requirement, and what
 * `attest import` reads back from a request workbook.
 */
export function ismIdentifier(c: Pick<ControlAssessment, 'id' | 'kind' | 'label'>): string {
  return c.kind === 'principle' && c.label ? c.label.toUpperCase() : c.id.toUpperCase();
}
