import type { CommandModule } from 'yargs';
import { AuditpackError } from '../../errors';
import { openPack } from '../../evidence/reader';
import { baselineNames, defaultBaseline, parseBaseline } from '../../mapping/catalog';
import { resolveCatalog } from '../../mapping/catalog-store';
import { coverage, describeCoverage, type PackEvidence } from '../../mapping/coverage';
import { loadMappings } from '../../mapping/mappings';
import { withMappingOptions } from '../options';

interface Args {
  baseline: string;
  json: boolean;
  pack?: string;
  catalog?: string;
  mappings?: string;
}

async function packEvidence(dir: string): Promise<PackEvidence> {
  const pack = await openPack(dir);
  const attestedIds = new Set<string>();
  for await (const a of pack.records('attestations')) for (const id of a.controlIds) attestedIds.add(id);
  const rules: PackEvidence['rules'] = [];
  for await (const r of pack.records('configRules')) rules.push(r);
  return { attestedIds, rules };
}

const check: CommandModule<object, Args> = {
  command: 'check',
  describe: 'Report how the mappings cover a baseline; fail on ids the catalog does not hold',
  builder: (y) =>
    withMappingOptions(y)
      .option('baseline', { type: 'string', default: defaultBaseline(), describe: `ISM baseline to check: ${baselineNames().join(', ')}` })
      .option('json', { type: 'boolean', default: false, describe: 'Print the coverage as JSON' })
      .option('pack', { type: 'string', describe: 'Evidence pack whose attestations count as evidence and whose deployed rules are checked for mappings' })
      .example('$0 mappings check', 'Coverage of PROTECTED by the built-in mappings')
      .example('$0 mappings check --catalog ISM_catalog.json --mappings mine --json', 'A new release with your own mappings, as JSON'),
  handler: async (argv) => {
    const catalog = resolveCatalog(argv.catalog);
    const baseline = parseBaseline(argv.baseline, catalog.baselines);
    const mappings = loadMappings(catalog, { extraDir: argv.mappings, collectProblems: true });
    const result = coverage(catalog, baseline, mappings, argv.pack ? await packEvidence(argv.pack) : undefined);
    process.stdout.write(`${argv.json ? JSON.stringify(result, null, 2) : describeCoverage(result)}\n`);
    if (result.unknownControlIds.length) throw new AuditpackError(`${result.unknownControlIds.length} mapping id(s) are not in ISM catalog ${catalog.version}`);
  },
};

export const mappingsCommand: CommandModule = {
  command: 'mappings <command>',
  describe: 'Check the responsibility model and evidence mappings',
  builder: (y) => y.command(check).demandCommand(1),
  handler: () => undefined,
};
