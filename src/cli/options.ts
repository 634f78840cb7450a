import type { Argv } from 'yargs';
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
    .option('as-of', { type: 'string', describe: 'Date (YYYY-MM-DD) to judge expiry at; default: the day collection completed' });
}

export interface ReportOptions {
  formats: ReportFormat[];
  baseline: Baseline;
  marking: string;
  asOf?: string;
}

export function parseReportOptions(argv: { format: string; baseline: string; marking: string; asOf?: string }): ReportOptions {
  const formats = [...new Set(argv.format.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean))];
  const unknown = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown !== undefined) throw new AuditpackError(`--format: unknown format "${unknown}"; expected a comma-separated list of ${REPORT_FORMATS.join(', ')}`);
  if (!formats.length) throw new AuditpackError(`--format: no format given; expected one or more of ${REPORT_FORMATS.join(', ')}`);
  const marking = argv.marking.trim();
  if (!marking) throw new AuditpackError('--marking: must not be empty (e.g. "OFFICIAL: Sensitive")');
  if (argv.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(argv.asOf)) throw new AuditpackError(`--as-of: "${argv.asOf}" is not a date in the form YYYY-MM-DD`);
  return { formats: formats as ReportFormat[], baseline: parseBaseline(argv.baseline), marking, asOf: argv.asOf };
}
