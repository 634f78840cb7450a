import type { CommandModule } from 'yargs';
import { defaultBaseline, parseBaseline } from '../../mapping/catalog';
import { diffFolders } from '../../pipeline/diff';
import { diffText } from '../../render/diff-text';
import { parseRegions, withMappingOptions } from '../options';

interface Args {
  old: string;
  new: string;
  json: boolean;
  baseline?: string;
  'allowed-regions'?: string;
  catalog?: string;
  mappings?: string;
}

export const diffCommand: CommandModule<object, Args> = {
  command: 'diff <old> <new>',
  describe: 'What changed between two evidence packs or report folders: controls, findings, attestations, scope',
  builder: (y) =>
    withMappingOptions(y)
      .positional('old', { type: 'string', demandOption: true, describe: 'The earlier evidence pack or report folder' })
      .positional('new', { type: 'string', demandOption: true, describe: 'The later evidence pack or report folder' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the differences as JSON (docs/diff.md)' })
      .option('baseline', { type: 'string', describe: `ISM baseline a pack is assessed against (default ${defaultBaseline()}); a report folder of another baseline is refused` })
      .option('allowed-regions', { type: 'string', describe: 'Comma-separated AWS regions where data may reside, for assessing a pack; default: the Australian regions' })
      .example('$0 diff reports/2026-Q3 reports/2026-Q4', 'What changed since last quarter')
      .example('$0 diff packs/2026-Q3 packs/2026-Q4 --json > changes.json', 'The same from the packs, as JSON'),
  handler: async (argv) => {
    const baseline = parseBaseline(argv.baseline ?? defaultBaseline());
    const allowedRegions = argv.allowedRegions === undefined ? undefined : parseRegions('allowed-regions', argv.allowedRegions);
    const packOption = (['allowed-regions', 'catalog', 'mappings'] as const).find((o) => argv[o] !== undefined) ?? null;
    const diff = await diffFolders(argv.old, argv.new, { baseline, baselineGiven: argv.baseline !== undefined, packOption, allowedRegions, catalog: argv.catalog, mappings: argv.mappings });
    process.stdout.write(argv.json ? `${JSON.stringify(diff, null, 2)}\n` : diffText(diff));
  },
};
