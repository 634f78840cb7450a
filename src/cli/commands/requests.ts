import type { CommandModule } from 'yargs';
import { ownersSource } from '../../config/system-file';
import { AuditpackError } from '../../errors';
import { defaultBaseline, parseBaseline } from '../../mapping/catalog';
import { buildRequests } from '../../pipeline/requests';
import { parseMarking } from '../../render/marking';
import { plural } from '../../util/plural';
import { nameOption, parseDate, parseOwner, parseRegions, systemFileOf, warnAboutReportOptions, withMappingOptions } from '../options';

interface Args {
  input: string;
  out: string;
  due?: string;
  'expiring-within': string;
  marking?: string;
  baseline?: string;
  'allowed-regions'?: string;
  system?: string;
  owner?: string;
  config?: string;
  catalog?: string;
  mappings?: string;
}

/** The most days --expiring-within takes: ten years. */
const MAX_WINDOW_DAYS = 3650;

/** `--expiring-within 30d`: a whole number of days. */
function parseExpiringWithin(value: string): number {
  const match = /^(\d{1,4})d$/.exec(value.trim());
  const days = match ? Number(match[1]) : NaN;
  if (!(days <= MAX_WINDOW_DAYS)) throw new AuditpackError(`--expiring-within: "${value}" is not a number of days from 0d to ${MAX_WINDOW_DAYS}d, such as 30d`);
  return days;
}

/** Options that only assessing a pack uses: a report folder's result has decided them. */
const PACK_OPTIONS = ['baseline', 'allowed-regions', 'system', 'owner', 'catalog', 'mappings'] as const;

export const requestsCommand: CommandModule<object, Args> = {
  command: 'requests <input>',
  describe: 'Evidence requests: one workbook per control owner of the controls that need their evidence, and requests.csv',
  builder: (y) =>
    withMappingOptions(y)
      .positional('input', { type: 'string', demandOption: true, describe: 'An evidence pack (assessed now) or a report folder' })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder to write (must not exist)' })
      .option('due', { type: 'string', describe: 'Date answers are due (YYYY-MM-DD), printed in each workbook and requests.csv' })
      .option('expiring-within', { type: 'string', default: '30d', describe: 'Request attestations and risk acceptances ending within this many days of the as-of date' })
      .option('marking', { type: 'string', describe: "Protective marking printed on every page; default: the system file's, else the baseline's classification" })
      .option('baseline', { type: 'string', describe: `ISM baseline a pack is assessed against (default ${defaultBaseline()})` })
      .option('allowed-regions', { type: 'string', describe: 'Comma-separated AWS regions where data may reside, for assessing a pack' })
      .option('system', { type: 'string', describe: 'Name of the system, for assessing a pack' })
      .option('owner', { type: 'string', describe: 'Default control owner, "NAME[, ROLE][, EMAIL]", for assessing a pack; the system file\'s overrides still apply' })
      .example('$0 requests packs/2026-Q4 --out requests/2026-Q4 --due 2027-01-31', 'Ask every owner for the evidence due by the end of January')
      .example('$0 requests reports/2026-Q4 --out requests/2026-Q4 --expiring-within 60d', 'From a report folder, counting records ending within 60 days as expiring'),
  handler: async (argv) => {
    // Every option is checked before anything is read or written.
    const due = argv.due === undefined ? null : parseDate('due', argv.due);
    const expiringWithinDays = parseExpiringWithin(argv.expiringWithin);
    const file = systemFileOf(argv);
    const settings = file?.settings ?? {};
    const marking = argv.marking === undefined ? (settings.marking ?? null) : parseMarking(argv.marking).text;
    const baseline = parseBaseline(argv.baseline ?? settings.baseline ?? defaultBaseline());
    const allowedRegions = argv.allowedRegions === undefined ? settings.allowedRegions : parseRegions('allowed-regions', argv.allowedRegions);
    const owner = argv.owner === undefined ? undefined : parseOwner(argv.owner);
    const system = nameOption('system', argv.system, 'Case Management System') ?? settings.system;
    const { groups, result } = await buildRequests({
      input: argv.input,
      outDir: argv.out,
      due,
      expiringWithinDays,
      marking,
      packOption: PACK_OPTIONS.find((o) => argv[o] !== undefined) ?? null,
      assess: { baseline, allowedRegions, identity: system === undefined ? undefined : { name: system, agency: settings.agency ?? null }, owners: ownersSource(file, owner), catalog: argv.catalog, mappings: argv.mappings },
    });
    // Below the baseline's classification is legal but worth a word, as for report; a report folder's baseline is known only now.
    if (marking !== null) warnAboutReportOptions({ marking, baseline: parseBaseline(result.baseline) });
    const controls = groups.reduce((n, g) => n + g.controls.length, 0);
    process.stdout.write(`${argv.out}: ${plural(controls, 'control')} requested from ${plural(groups.length, 'owner')} (${groups.map((g) => g.file).join(', ') || 'none'}), requests.csv\n`);
  },
};
