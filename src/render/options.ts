import type { CsvOptions } from './csv';
import type { PoamMilestones } from './poam/severity';

export const REPORT_FORMATS = ['pdf', 'xlsx', 'csv', 'html', 'oscal', 'annex', 'poam', 'ciso-assistant'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * How a result is rendered: the one definition the CLI parses into, the pipeline passes on and
 * every renderer reads.
 */
export interface RenderOptions {
  formats: readonly ReportFormat[];
  /** Protective marking printed at the top and bottom of every page, e.g. 'OFFICIAL: Sensitive'. */
  marking: string;
  /** The name of the system assessed, for the cover and page headers (`--system`); absent: not named. */
  system?: string;
  /** Delimiter and byte order mark of the standard CSV files; absent: comma, no byte order mark. */
  csv?: CsvOptions;
  /** Days from the as-of date to a POA&M item's planned completion, per severity (`--poam-milestones`); absent: the defaults. */
  poamMilestones?: PoamMilestones;
}

export interface RenderedFile {
  /** Relative to the report folder, with forward slashes (as the report manifest lists it). */
  path: string;
  /** Data rows for CSV files; null for other formats. */
  records: number | null;
}
