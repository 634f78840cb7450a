import { statSync } from 'node:fs';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { AuditpackError } from '../../errors';
import { parseRegions } from '../options';

interface Args {
  out: string;
  period?: string;
  regions?: string;
  profile?: string;
  'role-arn'?: string[];
  aggregator?: string;
  'aggregator-region'?: string;
  attestations?: string;
  'artifact-download': boolean;
  'endpoint-url'?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Checks what can be checked without AWS, so a bad command line fails before any API call. */
function validate(argv: ArgumentsCamelCase<Args>): void {
  if (argv.period !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(argv.period)) throw new AuditpackError(`--period: "${argv.period}" is not a label such as 2026-Q4`);
  if (argv.regions !== undefined) parseRegions('regions', argv.regions);
  for (const arn of argv.roleArn ?? []) if (!ROLE_ARN.test(arn)) throw new AuditpackError(`--role-arn: "${arn}" is not an IAM role ARN`);
  if (argv.aggregator !== undefined && argv.aggregatorRegion === undefined) throw new AuditpackError('--aggregator needs --aggregator-region (the region the aggregator lives in)');
  if (argv.aggregatorRegion !== undefined) parseRegions('aggregator-region', argv.aggregatorRegion);
  if (argv.attestations !== undefined && !statSync(argv.attestations, { throwIfNoEntry: false })?.isDirectory()) {
    throw new AuditpackError(`--attestations: ${argv.attestations} is not a directory`);
  }
  if (argv.endpointUrl !== undefined && !URL.canParse(argv.endpointUrl)) throw new AuditpackError(`--endpoint-url: "${argv.endpointUrl}" is not a URL`);
}

export const collectCommand: CommandModule<object, Args> = {
  command: 'collect',
  describe: 'Collect evidence from AWS into an evidence pack (options are validated; collectors are not available yet)',
  builder: (y) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'Evidence pack directory to create' })
      .option('period', { type: 'string', describe: 'Assessment period label, e.g. 2026-Q4' })
      .option('regions', { type: 'string', describe: 'Comma-separated regions to collect' })
      .option('profile', { type: 'string', describe: 'AWS shared config profile' })
      .option('role-arn', { type: 'string', array: true, describe: 'Role to assume in each account (repeatable)' })
      .option('aggregator', { type: 'string', describe: 'AWS Config aggregator name (organisation-wide collection)' })
      .option('aggregator-region', { type: 'string', describe: 'Region of the aggregator' })
      .option('attestations', { type: 'string', describe: 'Folder of attestation and risk acceptance YAML files' })
      .option('artifact-download', { type: 'boolean', default: false, describe: 'Download AWS Artifact reports into the pack' })
      .option('endpoint-url', { type: 'string', describe: 'Override the AWS endpoint (emulators, VPC endpoints)' })
      .example('$0 collect --out packs/2026-Q4 --period 2026-Q4 --regions ap-southeast-2,ap-southeast-4', 'One account'),
  handler: (argv) => {
    validate(argv);
    throw new AuditpackError('collect: the options are valid, but collecting from AWS is not implemented in this version; try `auditpack demo`');
  },
};
