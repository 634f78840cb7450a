import path from 'node:path';
import type { CommandModule } from 'yargs';
import { readPackManifest } from '../../evidence/reader';
import { sealWith } from '../../integrity/signature';
import { resolveCatalog } from '../../mapping/catalog-store';
import { buildReport } from '../../pipeline/report';
import { refuseReportOut } from '../../pipeline/report-folder';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack, SAMPLE_MAPPINGS_DIR } from '../../sample';
import { parseReportOptions, warnAboutReportOptions, withMappingOptions, withReportOptions, type ReportArgs } from '../options';
import { describePackSignature, describeReport } from '../output';
import { stageProgress } from '../stages';
import { parseAwsAccess, signerOf, withAwsAccessOptions, withSignOption, type AwsAccessArgs } from '../signing';

interface Args extends ReportArgs, AwsAccessArgs {
  sign?: string;
  out: string;
  seed: number;
  accounts: number;
  'resources-per-account': number;
}

/** Only an earlier sample pack may be replaced: never a collected one. */
async function replaceableSample(dir: string): Promise<string | null> {
  try {
    if ((await readPackManifest(dir)).manifest.sample) return null;
  } catch {
    // fall through: not a sample pack
  }
  return `${dir}: already exists and is not a sample evidence pack; choose another --out`;
}

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo',
  describe: 'Generate the built-in sample estate and render its full report (no AWS account needed)',
  builder: (y) =>
    withAwsAccessOptions(withSignOption(withMappingOptions(withReportOptions(y))))
      .option('out', { type: 'string', default: path.join('out', 'demo'), describe: 'Folder for evidence/ and report/' })
      .option('seed', { type: 'number', default: DEFAULT_SAMPLE_OPTIONS.seed, describe: 'Seed of the sample estate (same seed, same pack)' })
      .option('accounts', { type: 'number', default: DEFAULT_SAMPLE_OPTIONS.accounts, describe: 'Number of AWS accounts in the sample estate' })
      .option('resources-per-account', { type: 'number', default: DEFAULT_SAMPLE_OPTIONS.resourcesPerAccount, describe: 'Resources generated per account' })
      .example('$0 demo', 'Write out/demo/evidence and out/demo/report')
      .example('$0 demo --accounts 100 --format xlsx,csv', 'A larger estate, spreadsheets only')
      .example('$0 demo --sign keys/auditpack-signing-key.pem', 'Sign the sample pack and its report'),
  handler: async (argv) => {
    // The sample agency's own mappings (its declarations of not applicable), unless the user brings theirs.
    const options = { ...parseReportOptions(argv), mappings: argv.mappings ?? SAMPLE_MAPPINGS_DIR };
    warnAboutReportOptions(options);
    const signer = await signerOf(argv, parseAwsAccess(argv));
    const sample = { ...DEFAULT_SAMPLE_OPTIONS, seed: argv.seed, accounts: argv.accounts, resourcesPerAccount: argv.resourcesPerAccount };
    const packDir = path.join(argv.out, 'evidence');
    const reportDir = path.join(argv.out, 'report');
    // Refuse the report folder, and owners naming what the catalog lacks, before the pack is
    // written, so a refusal leaves nothing behind.
    await refuseReportOut(reportDir, { packDir, ...options });
    options.owners?.(resolveCatalog(options.catalog));
    const stages = stageProgress({ quiet: argv.quiet ?? false });
    stages.stage('generating the sample evidence pack');
    const manifest = await generateSamplePack(packDir, sample, { canReplace: replaceableSample, ...sealWith(signer) });
    const evaluations = manifest.files.find((f) => f.path.endsWith('evaluations.jsonl'))?.records ?? 0;
    process.stdout.write(`Sample evidence pack written to ${packDir} (SAMPLE DATA): ${manifest.scope.accounts.length} accounts, ${evaluations} evaluations\n`);
    const { result, files, packSignature } = await buildReport({ packDir, outDir: reportDir, ...options, signer, onStage: stages.stage });
    stages.done();
    process.stdout.write(`${[describeReport(reportDir, result, files), describePackSignature(packSignature, signer)].filter(Boolean).join('\n')}\n`);
  },
};
