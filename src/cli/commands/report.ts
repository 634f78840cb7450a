import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { AuditpackError } from '../../errors';
import { defaultBaseline, parseBaseline } from '../../mapping/catalog';
import { buildReport, buildReportFromResult } from '../../pipeline/report';
import { parseMarking } from '../../render/marking';
import { parseCompare, parseRenderOptions, systemFileOf, parseReportOptions, warnAboutReportOptions, withMappingOptions, withReportOptions, type ReportArgs } from '../options';
import { resolveTrustedKey } from '../../integrity/signers';
import { describeReport, describePackSignature } from '../output';
import { stageProgress } from '../stages';
import { parseAwsAccess, signerOf, withAwsAccessOptions, withSignOption, withTrustOptions, type AwsAccessArgs } from '../signing';

interface Args extends ReportArgs, AwsAccessArgs {
  sign?: string;
  pubkey?: string;
  kms?: string;
  pack?: string;
  out: string;
  fromResult?: string;
}

/** Options a result file has already decided: given with --from-result, they would be silently ignored. */
const DECIDED_BY_RESULT = ['baseline', 'as-of', 'allowed-regions', 'agency', 'owner', 'catalog', 'mappings', 'pubkey', 'kms'] as const;

/** `report --from-result FILE`: renders a result alone, its pack's rows from --pack or where the result says. */
async function fromResult(argv: ArgumentsCamelCase<Args>, file: string): Promise<void> {
  const decided = DECIDED_BY_RESULT.find((o) => argv[o] !== undefined);
  if (decided) throw new AuditpackError(`--${decided}: the result file decided it when it was assessed; assess the pack again (auditpack report PACK) to change it`);
  // Every option is checked before anything is read. Of the system file only the marking still
  // applies (the rest was decided at assessment); without either, the result's baseline decides it.
  const settings = systemFileOf(argv)?.settings ?? {};
  const options = { ...parseRenderOptions(argv, defaultBaseline()), marking: argv.marking === undefined ? (settings.marking ?? null) : parseMarking(argv.marking).text };
  const signer = await signerOf(argv, parseAwsAccess(argv));
  const stages = stageProgress({ quiet: argv.quiet ?? false });
  const { result, files, packSignature, marking, rowsNote } = await buildReportFromResult({ ...options, resultFile: file, packDir: argv.pack, compare: parseCompare(argv), outDir: argv.out, signer, onStage: stages.stage });
  stages.done();
  warnAboutReportOptions({ marking, baseline: parseBaseline(result.baseline) });
  if (rowsNote) process.stderr.write(`auditpack: warning: ${rowsNote}\n`);
  process.stdout.write(`${[describeReport(argv.out, result, files), describePackSignature(packSignature, signer)].filter(Boolean).join('\n')}\n`);
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report [pack]',
  describe: 'Assess an evidence pack and render the report (PDF, XLSX, CSV, HTML)',
  builder: (y) =>
    withAwsAccessOptions(withTrustOptions(withSignOption(withMappingOptions(withReportOptions(y)))))
      .positional('pack', {
        type: 'string',
        describe: 'Evidence pack directory; with --from-result (also as --pack DIR), the pack to stream evaluations and resources from, by default where the result says it is',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'Report folder to write (replaced if it is an earlier report)' })
      .option('from-result', { type: 'string', describe: 'Render from an assessment-result.json alone, without assessing again' })
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4', 'All formats, PROTECTED baseline')
      .example('$0 report packs/2026-Q4 --out r --format pdf --marking PROTECTED', 'Only the PDF, marked PROTECTED')
      .example('$0 report packs/2026-Q4 --out r --catalog ISM_catalog.json --mappings my-mappings', 'Official statements, own mappings')
      .example('$0 report packs/2026-Q4 --out reports/2026-Q4 --system "Case Management" --compare reports/2026-Q3', 'Named system, changes since last quarter')
      .example('$0 report packs/2026-Q4 --out r --format csv --csv-delimiter ";" --csv-bom', 'CSV for Excel')
      .example('$0 report packs/2026-Q4 --out r --format ciso-assistant', 'A CISO Assistant framework library and audit import (docs/ciso-assistant.md)')
      .example('$0 report --from-result reports/2026-Q4/assessment-result.json --out r2 --format pdf', 'Render again from the result alone')
      .example('$0 report packs/2026-Q4 --out r --pubkey collector.pub.pem --sign my-key.pem', 'Check the pack\'s signature, sign the report'),
  handler: async (argv) => {
    if (argv.fromResult !== undefined) return fromResult(argv, argv.fromResult);
    if (argv.pack === undefined) throw new AuditpackError('report: name the evidence pack to assess (auditpack report PACK --out DIR), or a result to render with --from-result FILE');
    const pack = argv.pack;
    const options = parseReportOptions(argv);
    warnAboutReportOptions(options);
    const access = parseAwsAccess(argv);
    const trusted = await resolveTrustedKey(argv, access);
    const signer = await signerOf(argv, access);
    const stages = stageProgress({ quiet: argv.quiet ?? false });
    const { result, files, packSignature } = await buildReport({ packDir: pack, outDir: argv.out, ...options, signer, trusted, onStage: stages.stage });
    stages.done();
    process.stdout.write(`${[describeReport(argv.out, result, files), describePackSignature(packSignature, signer)].filter(Boolean).join('\n')}\n`);
  },
};
