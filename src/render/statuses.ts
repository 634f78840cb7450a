import { statusColumn } from '../assess/status-table';
import type { Status } from '../assess/result';
import type { Responsibility, ServiceCategory } from '../mapping/responsibility';

/** Views of the status table (src/assess/status-table.ts), keyed by status. */
export const STATUS_LABELS = statusColumn('label');
export const STATUS_DEFINITIONS = statusColumn('definition');
/** Shared by the PDF/HTML badges and charts and the XLSX fills. */
export const STATUS_COLOURS = statusColumn('colour');

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
