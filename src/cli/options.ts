import type { ArgumentsCamelCase, Argv } from 'yargs';
import { AuditpackError } from '../errors';
import { BASELINE_NAMES, DEFAULT_BASELINE, parseBaseline, type Baseline } from '../mapping/catalog';
import { REPORT_FORMATS, type ReportFormat } from '../render';

export const DEFAULT_MARKING = 'OFFICIAL: Sensitive';

/** Options shared by every command that renders a report (`report`, `demo`). */
export function withReportOptions<T>(y: Argv<T>) {
  return y
    .option('format', {
      type: 'string',
      default: REPORT_FORMATS.join(','),
      describe: `Comma-separated formats to render: ${REPORT_FORMATS.join(', ')}`,
    })
    .option('baseline', { type: 'string', default: DEFAULT_BASELINE, describe: `ISM baseline: ${BASELINE_NAMES.join(', ')}` })
    .option('marking', { type: 'string', default: DEFAULT_MARKING, describe: 'Protective marking printed at the top and bottom of every page' })
    .option('as-of', { type: 'string', describe: 'Date (YYYY-MM-DD) to judge expiry at; default: the day collection completed' })
    .option('allowed-regions', { type: 'string', describe: 'Comma-separated regions where data may reside; default: the Australian regions (mappings/data-residency.yaml)' });
}

/** Options of every command that loads the catalog and the mappings. */
export function withMappingOptions<T>(y: Argv<T>) {
  return y
    .option('catalog', { type: 'string', describe: 'Official ISM OSCAL catalog JSON to assess against, or "builtin"; default: the imported release, else the built-in index' })
    .option('mappings', { type: 'string', describe: 'Folder of mapping files that add to or override the built-in ones' });
}

/** The raw report and mapping options as yargs parses them (dashed names). */
export interface ReportArgs {
  format: string;
  baseline: string;
  marking: string;
  'as-of'?: string;
  'allowed-regions'?: string;
  catalog?: string;
  mappings?: string;
}

export interface ReportOptions {
  formats: ReportFormat[];
  baseline: Baseline;
  marking: string;
  asOf?: string;
  allowedRegions?: string[];
  catalog?: string;
  mappings?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** A comma-separated list of regions, each checked. */
export function parseRegions(option: string, value: string): string[] {
  const regions = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined) throw new AuditpackError(`--${option}: "${bad}" is not an AWS region such as ap-southeast-2`);
  if (!regions.length) throw new AuditpackError(`--${option}: no region given`);
  return regions;
}

export function parseReportOptions(argv: ArgumentsCamelCase<ReportArgs>): ReportOptions {
  const formats = [...new Set(argv.format.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean))];
  const unknown = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown !== undefined) throw new AuditpackError(`--format: unknown format "${unknown}"; expected a comma-separated list of ${REPORT_FORMATS.join(', ')}`);
  if (!formats.length) throw new AuditpackError(`--format: no format given; expected one or more of ${REPORT_FORMATS.join(', ')}`);
  const marking = argv.marking.trim();
  if (!marking) throw new AuditpackError('--marking: must not be empty (e.g. "OFFICIAL: Sensitive")');
  if (argv.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(argv.asOf)) throw new AuditpackError(`--as-of: "${argv.asOf}" is not a date in the form YYYY-MM-DD`);
  const allowedRegions = argv.allowedRegions === undefined ? undefined : parseRegions('allowed-regions', argv.allowedRegions);
  return { formats: formats as ReportFormat[], baseline: parseBaseline(argv.baseline), marking, asOf: argv.asOf, allowedRegions, catalog: argv.catalog, mappings: argv.mappings };
}
