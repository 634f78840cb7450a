import type { CommandModule } from 'yargs';
import { buildReport } from '../../pipeline/report';
import { parseReportOptions, warnAboutReportOptions, withMappingOptions, withReportOptions, type ReportArgs } from '../options';
import { resolveTrustedKey } from '../../integrity/signers';
import { describeReport, describePackSignature } from '../output';
import { stageProgress } from '../stages';
import { parseAwsAccess, signerOf, withAwsAccessOptions, withSignOption, withTrustOptions, type AwsAccessArgs } from '../signing';

interface Args extends ReportArgs, AwsAccessArgs {
  sign?: string;
  pubkey?: string;
  kms?: string;
  pack: string;
  out: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <pack>',
  describe: 'Assess an evidence pack and render the report (PDF, XLSX, CSV, HTML)',
  builder: (y) =>
    withAwsAccessOptions(withTrustOptions(withSignOption(withMappingOptions(withReportOptions(y)))))
      .positional('pack', { type: 'string', demandOption: true, describe: 'Evidence pack directory' })
      .option('out', { type: 'string', demandOption: true, describe: 'Report folder to write (replaced if it is an earlier report)' })
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4', 'All formats, PROTECTED baseline')
      .example('$0 report packs/2026-Q4 --out r --format pdf --marking PROTECTED', 'Only the PDF, marked PROTECTED')
      .example('$0 report packs/2026-Q4 --out r --catalog ISM_catalog.json --mappings my-mappings', 'Official statements, own mappings')
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4 --system "Case Management" --compare reports/2026-Q3', 'Named system, changes since last quarter')
      .example('$0 report packs/2026-Q4 --out r --format csv --csv-delimiter ";" --csv-bom --csv-profile ciso-assistant', 'CSV for Excel and CISO Assistant')
      .example('$0 report packs/2026-Q4 --out r --pubkey collector.pub.pem --sign my-key.pem', 'Check the pack\'s signature, sign the report'),
  handler: async (argv) => {
    const options = parseReportOptions(argv);
    warnAboutReportOptions(options);
    const access = parseAwsAccess(argv);
    const trusted = await resolveTrustedKey(argv, access);
    const signer = await signerOf(argv, access);
    const stages = stageProgress({ quiet: argv.quiet ?? false });
    const { result, files, packSignature } = await buildReport({ packDir: argv.pack, outDir: argv.out, ...options, signer, trusted, onStage: stages.stage });
    stages.done();
    process.stdout.write(`${[describeReport(argv.out, result, files), describePackSignature(packSignature, signer)].filter(Boolean).join('\n')}\n`);
  },
};
