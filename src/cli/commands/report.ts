import type { CommandModule } from 'yargs';
import { buildReport } from '../../pipeline/report';
import { parseReportOptions, warnAboutReportOptions, withMappingOptions, withReportOptions, type ReportArgs } from '../options';
import { describeReport } from '../output';

interface Args extends ReportArgs {
  pack: string;
  out: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <pack>',
  describe: 'Assess an evidence pack and render the report (PDF, XLSX, CSV, HTML)',
  builder: (y) =>
    withMappingOptions(withReportOptions(y))
      .positional('pack', { type: 'string', demandOption: true, describe: 'Evidence pack directory' })
      .option('out', { type: 'string', demandOption: true, describe: 'Report folder to write (replaced if it is an earlier report)' })
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4', 'All formats, PROTECTED baseline')
      .example('$0 report packs/2026-Q4 --out r --format pdf --marking PROTECTED', 'Only the PDF, marked PROTECTED')
      .example('$0 report packs/2026-Q4 --out r --catalog ISM_catalog.json --mappings my-mappings', 'Official statements, own mappings')
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4 --system "Case Management" --compare reports/2026-Q3', 'Named system, changes since last quarter')
      .example('$0 report packs/2026-Q4 --out r --format csv --csv-delimiter ";" --csv-bom --csv-profile ciso-assistant', 'CSV for Excel and CISO Assistant'),
  handler: async (argv) => {
    const options = parseReportOptions(argv);
    warnAboutReportOptions(options);
    const { result, files } = await buildReport({ packDir: argv.pack, outDir: argv.out, ...options });
    process.stdout.write(`${describeReport(argv.out, result, files)}\n`);
  },
};
