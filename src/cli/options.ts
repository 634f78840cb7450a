import type { ArgumentsCamelCase, Argv } from 'yargs';
import { AuditpackError } from '../errors';
import { baselineNames, defaultBaseline, parseBaseline, type Baseline } from '../mapping/catalog';
import type { Owner } from '../assess/owners';
import { EMAIL, ownersSource, SystemFile, type SystemSettings } from '../config/system-file';
import type { AssessOptions, ReportOptions } from '../pipeline/report';
import { CSV_DELIMITERS, REPORT_FORMATS, type CsvDelimiter, type RenderOptions, type ReportFormat } from '../render';
import { defaultMarking, markingBelowBaseline, parseMarking } from '../render/marking';
import { parsePoamMilestones } from '../render/poam/severity';
import { isCalendarDate } from '../util/dates';
import { looksLikeRegion, regionProblem } from '../util/regions';

/** Options shared by every command that renders a report (`report`, `demo`). */
export function withReportOptions<T>(y: Argv<T>) {
  return y
    .option('format', {
      type: 'string',
      default: REPORT_FORMATS.join(','),
      describe: `Comma-separated formats to render: ${REPORT_FORMATS.join(', ')}`,
    })
    .option('baseline', { type: 'string', describe: `ISM baseline, as the catalog's profiles name it: ${baselineNames().join(', ')} (default ${defaultBaseline()})` })
    .option('marking', {
      type: 'string',
      describe: 'PSPF protective marking printed at the top and bottom of every page, e.g. "PROTECTED//CABINET"; default: the baseline\'s classification (OFFICIAL: Sensitive for Essential Eight)',
    })
    .option('as-of', { type: 'string', describe: 'Calendar date (YYYY-MM-DD) to judge expiry at; default: the day collection completed' })
    .option('allowed-regions', { type: 'string', describe: 'Comma-separated AWS regions where data may reside; default: the Australian regions (mappings/data-residency.yaml)' })
    .option('system', { type: 'string', describe: 'Name of the system assessed, printed on the cover and every page header' })
    .option('agency', { type: 'string', describe: 'The agency the system belongs to, printed on the cover (needs a system name)' })
    .option('owner', { type: 'string', describe: 'Default control owner, "NAME[, ROLE][, EMAIL]"; the system file\'s overrides by guideline, section and control still apply' })
    .option('compare', { type: 'string', describe: 'An earlier report folder: show changes in scope and status since its assessment-result.json' })
    .option('csv-delimiter', { type: 'string', describe: 'CSV field delimiter: "," (default), ";", "|" or "tab"' })
    .option('csv-bom', { type: 'boolean', describe: 'Start each CSV file with a UTF-8 byte order mark (for Excel)' })
    // Removed: kept only to say what replaced it, rather than yargs's "Unknown argument".
    .option('csv-profile', { type: 'string', hidden: true })
    .option('poam-milestones', { type: 'string', describe: 'Days from the as-of date to a POA&M item\'s planned completion, per severity: e.g. high=30,medium=90,low=180 (the default)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines on stderr (shown only on a terminal); only the summary' });
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
  baseline?: string;
  marking?: string;
  'as-of'?: string;
  'allowed-regions'?: string;
  system?: string;
  agency?: string;
  owner?: string;
  /** The global --config: the system file, instead of auditpack.yaml in the working directory. */
  config?: string;
  compare?: string;
  'csv-delimiter'?: string;
  'csv-bom'?: boolean;
  /** Removed (its file never imported into a stock CISO Assistant); refused with what replaced it. */
  'csv-profile'?: string;
  'poam-milestones'?: string;
  catalog?: string;
  mappings?: string;
  quiet?: boolean;
}

/** A comma-separated list of regions, each checked against the regions AWS has. */
export function parseRegions(option: string, value: string): string[] {
  const regions = value.split(',').map((r) => r.trim()).filter(Boolean);
  // Every name's form is checked before any is looked up, so a typo is named before an unknown region.
  const bad = regions.find((r) => !looksLikeRegion(r)) ?? regions.find((r) => regionProblem(r) !== null);
  if (bad !== undefined) throw new AuditpackError(`--${option}: "${bad}" ${regionProblem(bad)}`);
  if (!regions.length) throw new AuditpackError(`--${option}: no region given`);
  return regions;
}

/** A YYYY-MM-DD date that exists on the calendar (not 2026-02-30). */
export function parseDate(option: string, value: string): string {
  if (!isCalendarDate(value)) throw new AuditpackError(`--${option}: "${value}" is not a calendar date in the form YYYY-MM-DD`);
  return value;
}

const DELIMITER_NAMES: Record<string, CsvDelimiter> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|' };

/** A delimiter as typed: the character itself, or a name for one that is awkward to type (tab). */
export function parseCsvDelimiter(value: string): CsvDelimiter {
  if ((CSV_DELIMITERS as readonly string[]).includes(value)) return value as CsvDelimiter;
  const key = value.trim().toLowerCase();
  if (Object.hasOwn(DELIMITER_NAMES, key)) return DELIMITER_NAMES[key];
  throw new AuditpackError(`--csv-delimiter: "${value}" is not a supported delimiter; use ",", ";", "|" or "tab"`);
}

/** `--owner "NAME[, ROLE][, EMAIL]"`: the email is the part with an @, the role what is between. */
export function parseOwner(value: string): Owner {
  const parts = value.split(',').map((p) => p.trim());
  const email = parts.length > 1 && parts[parts.length - 1].includes('@') ? parts.pop()! : null;
  const [name, role = null, ...rest] = parts;
  if (!name) throw new AuditpackError('--owner: no name given; write "NAME[, ROLE][, EMAIL]", e.g. "Jane Citizen, CISO, jane.citizen@agency.gov.au"');
  if (rest.length || role === '') throw new AuditpackError(`--owner: "${value}" is not "NAME[, ROLE][, EMAIL]" (a name, a role and an email, separated by commas)`);
  if (email !== null && !EMAIL.test(email)) throw new AuditpackError(`--owner: "${email}" is not an email address such as jane.citizen@agency.gov.au`);
  if (name.length > 200 || (role?.length ?? 0) > 200) throw new AuditpackError('--owner: a name or role longer than 200 characters');
  return { name, role, email };
}

/** A name option given on the command line: trimmed, and neither empty nor unbounded. */
export function nameOption(option: string, value: string | undefined, example: string): string | undefined {
  const name = value?.trim();
  if (name !== undefined && !name) throw new AuditpackError(`--${option}: must not be empty (e.g. "${example}")`);
  if (name !== undefined && name.length > 200) throw new AuditpackError(`--${option}: longer than 200 characters`);
  return name;
}

/** The system file's settings, or none; `--config` names the file, else auditpack.yaml in the working directory. */
export const systemFileOf = (argv: Pick<ReportArgs, 'config'>): SystemFile | null => SystemFile.find(argv.config);

/** How to render, as the options give it, then the system file; without either's marking, the classification of `baseline`. */
export function parseRenderOptions(argv: ArgumentsCamelCase<ReportArgs>, baseline: Baseline, settings: SystemSettings = {}): RenderOptions {
  const formats = [...new Set(argv.format.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean))];
  const unknown = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown !== undefined) throw new AuditpackError(`--format: unknown format "${unknown}"; expected a comma-separated list of ${REPORT_FORMATS.join(', ')}`);
  if (!formats.length) throw new AuditpackError(`--format: no format given; expected one or more of ${REPORT_FORMATS.join(', ')}`);
  const marking = argv.marking === undefined ? (settings.marking ?? defaultMarking(baseline)) : parseMarking(argv.marking).text;
  const system = nameOption('system', argv.system, 'Case Management System') ?? settings.system;
  if (argv.csvProfile !== undefined) throw new AuditpackError('--csv-profile: removed; CISO Assistant\'s files are now written by --format ciso-assistant (docs/ciso-assistant.md)');
  const csv = { delimiter: argv.csvDelimiter === undefined ? (',' as const) : parseCsvDelimiter(argv.csvDelimiter), bom: argv.csvBom ?? false };
  // A CSV option without the CSV format would silently do nothing.
  const csvOption = argv.csvDelimiter !== undefined ? 'csv-delimiter' : argv.csvBom === true ? 'csv-bom' : null;
  if (csvOption && !formats.includes('csv')) throw new AuditpackError(`--${csvOption}: applies to CSV output, but --format does not include csv`);
  if (argv.poamMilestones !== undefined && !formats.includes('poam')) throw new AuditpackError('--poam-milestones: applies to the POA&M, but --format does not include poam');
  const poamMilestones = argv.poamMilestones === undefined ? undefined : parsePoamMilestones(argv.poamMilestones);
  return { formats: formats as ReportFormat[], marking, system, csv, ...(poamMilestones ? { poamMilestones } : {}) };
}

/** The earlier report folder of --compare, if given. */
export function parseCompare(argv: ArgumentsCamelCase<ReportArgs>): string | undefined {
  const compare = argv.compare === undefined ? undefined : argv.compare.trim();
  if (compare !== undefined && !compare) throw new AuditpackError('--compare: no folder given; name an earlier report folder');
  return compare;
}

/**
 * The system assessed and its control owners: each option wins over the system file's key of the
 * same name. The owners are resolved once the catalog is known, since the file's overrides must
 * name what the catalog holds.
 */
function parseSystemOptions(argv: ArgumentsCamelCase<ReportArgs>, file: SystemFile | null, system: string | undefined): Pick<AssessOptions, 'identity' | 'owners'> {
  const settings = file?.settings ?? {};
  const agency = nameOption('agency', argv.agency, 'Department of Examples') ?? settings.agency;
  if (agency !== undefined && system === undefined) {
    const why = 'names the agency of a system, but no system is named; give --system or system: in the system file';
    throw argv.agency === undefined ? file!.error(['agency'], `agency: ${why}`) : new AuditpackError(`--agency: ${why}`);
  }
  const owner = argv.owner === undefined ? undefined : parseOwner(argv.owner);
  return {
    identity: system === undefined ? undefined : { name: system, agency: agency ?? null },
    owners: ownersSource(file, owner),
  };
}

export function parseReportOptions(argv: ArgumentsCamelCase<ReportArgs>): ReportOptions {
  const file = systemFileOf(argv);
  const settings = file?.settings ?? {};
  const baseline = parseBaseline(argv.baseline ?? settings.baseline ?? defaultBaseline());
  const asOf = argv.asOf === undefined ? undefined : parseDate('as-of', argv.asOf);
  const allowedRegions = argv.allowedRegions === undefined ? settings.allowedRegions : parseRegions('allowed-regions', argv.allowedRegions);
  const render = parseRenderOptions(argv, baseline, settings);
  return {
    ...render,
    ...parseSystemOptions(argv, file, render.system),
    baseline,
    asOf,
    allowedRegions,
    compare: parseCompare(argv),
    catalog: argv.catalog,
    mappings: argv.mappings,
  };
}

/** Says on stderr, one line each, what the user should know before trusting the report (the cover says it too). */
export function warnAboutReportOptions(options: Pick<ReportOptions, 'marking' | 'baseline'>): void {
  const low = markingBelowBaseline(options.marking, options.baseline);
  if (low) process.stderr.write(`auditpack: warning: ${low}; give --marking ${defaultMarking(options.baseline)} or higher\n`);
}
