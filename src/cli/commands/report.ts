import type { CommandModule } from 'yargs';
import { buildReport } from '../../pipeline/report';
import { parseReportOptions, withReportOptions } from '../options';
import { describeReport } from '../output';

interface Args {
  pack: string;
  out: string;
  format: string;
  baseline: string;
  marking: string;
  'as-of'?: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <pack>',
  describe: 'Assess an evidence pack and render the report (PDF, XLSX, CSV, HTML)',
  builder: (y) =>
    withReportOptions(
      y
        .positional('pack', { type: 'string', demandOption: true, describe: 'Evidence pack directory' })
        .option('out', { type: 'string', demandOption: true, describe: 'Report folder to write (replaced if it is an earlier report)' }),
    )
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4', 'All formats, PROTECTED baseline')
      .example('$0 report packs/2026-Q4 --out r --format pdf --marking PROTECTED', 'Only the PDF, marked PROTECTED'),
  handler: async (argv) => {
    const options = parseReportOptions(argv);
    const { result, files } = await buildReport({ packDir: argv.pack, outDir: argv.out, ...options });
    process.stdout.write(`${describeReport(argv.out, result, files)}\n`);
  },
};
