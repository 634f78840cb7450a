import { statSync } from 'node:fs';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { collect, DEFAULT_REGIONS, type CollectOptions } from '../../collect';
import { COLLECT_MODES, type CollectMode } from '../../collect/collect-mode';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../../collect/clients';
import { redactError } from '../../collect/redact';
import { AuditpackError, ExitCode } from '../../errors';
import { parseRegions } from '../options';
import { signerOf, withSignOption } from '../signing';

interface Args {
  out: string;
  period?: string;
  regions?: string;
  profile?: string;
  'role-arn'?: string[];
  aggregator?: string;
  'aggregator-region'?: string;
  attestations?: string;
  'carry-forward'?: string;
  'artifact-download': boolean;
  'endpoint-url'?: string;
  concurrency: number;
  'max-attempts': number;
  'request-timeout': number;
  quiet: boolean;
  'collect-mode': string;
  sign?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function wholeNumber(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new AuditpackError(`--${option}: ${value} is not a whole number from ${min} to ${max}`);
  return value;
}

function collectMode(value: string): CollectMode {
  const mode = COLLECT_MODES.find((m) => m === value);
  if (!mode) throw new AuditpackError(`--collect-mode: "${value}" is not one of ${COLLECT_MODES.join(', ')}`);
  return mode;
}

/** Checks what can be checked without AWS, so a bad command line fails before any API call. */
function parse(argv: ArgumentsCamelCase<Args>): CollectOptions {
  if (argv.period !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(argv.period)) throw new AuditpackError(`--period: "${argv.period}" is not a label such as 2026-Q4`);
  const regions = argv.regions === undefined ? undefined : parseRegions('regions', argv.regions);
  const roleArns = argv.roleArn ?? [];
  for (const arn of roleArns) if (!ROLE_ARN.test(arn)) throw new AuditpackError(`--role-arn: "${arn}" is not an IAM role ARN`);
  if (argv.aggregator !== undefined && argv.aggregatorRegion === undefined) throw new AuditpackError('--aggregator needs --aggregator-region (the region the aggregator lives in)');
  const aggregatorRegion = argv.aggregatorRegion === undefined ? undefined : parseRegions('aggregator-region', argv.aggregatorRegion);
  if (aggregatorRegion && aggregatorRegion.length !== 1) throw new AuditpackError('--aggregator-region: give one region');
  if (argv.aggregator !== undefined && roleArns.length > 1) {
    throw new AuditpackError('--role-arn: with --aggregator, give at most one role (the one that reaches the aggregator\'s account)');
  }
  if (argv.attestations !== undefined && !statSync(argv.attestations, { throwIfNoEntry: false })?.isDirectory()) {
    throw new AuditpackError(`--attestations: ${argv.attestations} is not a directory`);
  }
  if (argv.carryForward !== undefined && !statSync(argv.carryForward, { throwIfNoEntry: false })?.isDirectory()) {
    throw new AuditpackError(`--carry-forward: ${argv.carryForward} is not a directory (give the earlier evidence pack)`);
  }
  if (argv.endpointUrl !== undefined && !URL.canParse(argv.endpointUrl)) throw new AuditpackError(`--endpoint-url: "${argv.endpointUrl}" is not a URL`);
  return {
    out: argv.out,
    period: argv.period,
    regions,
    profile: argv.profile,
    roleArns,
    aggregator: argv.aggregator === undefined ? undefined : { name: argv.aggregator, region: aggregatorRegion![0] },
    attestations: argv.attestations,
    carryForward: argv.carryForward,
    artifactDownload: argv.artifactDownload,
    endpointUrl: argv.endpointUrl,
    concurrency: wholeNumber('concurrency', argv.concurrency, 1, 50),
    maxAttempts: wholeNumber('max-attempts', argv.maxAttempts, 1, 50),
    requestTimeout: wholeNumber('request-timeout', argv.requestTimeout, 1, 3600),
    quiet: argv.quiet,
    collectMode: collectMode(argv.collectMode),
  };
}

export const collectCommand: CommandModule<object, Args> = {
  command: 'collect',
  describe: 'Collect evidence from AWS Config, AWS Artifact and attestation files into an evidence pack (docs/collect.md)',
  builder: (y) =>
    withSignOption(y)
      .option('out', { type: 'string', demandOption: true, describe: 'Evidence pack directory to create' })
      .option('period', { type: 'string', describe: 'Assessment period label, e.g. 2026-Q4; default: the current quarter' })
      .option('regions', { type: 'string', describe: `Comma-separated regions to collect; default: ${DEFAULT_REGIONS.join(',')} (with --aggregator: every region it holds)` })
      .option('profile', { type: 'string', describe: 'AWS shared config profile' })
      .option('role-arn', { type: 'string', array: true, describe: 'Role to assume in each further account (repeatable); with --aggregator, the role that reaches its account' })
      .option('aggregator', { type: 'string', describe: 'AWS Config aggregator name (organisation-wide collection)' })
      .option('aggregator-region', { type: 'string', describe: 'Region of the aggregator' })
      .option('attestations', { type: 'string', describe: 'Folder of attestation and risk acceptance YAML files' })
      .option('carry-forward', {
        type: 'string',
        describe: "An earlier evidence pack: its attestations and risk acceptances still valid at this collection's date come into the new pack, the expired are listed for renewal; --attestations with the same id win",
      })
      .option('artifact-download', { type: 'boolean', default: false, describe: 'Download AWS Artifact reports into the pack (accepts their terms)' })
      .option('endpoint-url', { type: 'string', describe: 'Send every AWS request to this endpoint (emulators); see also AWS_ENDPOINT_URL_<SERVICE>' })
      .option('concurrency', { type: 'number', default: 3, describe: 'Requests in flight per service, account and region' })
      .option('max-attempts', { type: 'number', default: 10, describe: 'Attempts per request, with adaptive backoff, before a gap is recorded' })
      .option('collect-mode', {
        type: 'string',
        default: 'auto',
        describe: `How evaluations are read: ${COLLECT_MODES.join(', ')}. bulk: Config's recorded ResourceCompliance items, many per call; per-rule: each rule's results with annotations; auto: bulk, per rule where the type is not recorded (docs/collect.md)`,
      })
      .option('request-timeout', {
        type: 'number',
        default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
        describe: 'Seconds to wait for a connection, an answer, or more of it, before the request is retried (and in the end recorded as a gap)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output; only the summary' })
      .example('$0 collect --out packs/2026-Q4 --period 2026-Q4 --regions ap-southeast-2,ap-southeast-4', 'One account')
      .example('$0 collect --out packs/2026-Q4 --role-arn arn:aws:iam::111122223333:role/auditpack-collect', 'The caller\'s account and one more')
      .example('$0 collect --out packs/2026-Q4 --aggregator org-aggregator --aggregator-region ap-southeast-2', 'An organisation, through an aggregator')
      .example('$0 collect --out packs/2027-Q1 --attestations answers --carry-forward packs/2026-Q4', 'Last quarter\'s still valid attestations, with this quarter\'s answers')
      .example('$0 collect --out packs/2026-Q4 --sign kms:alias/auditpack-signing', 'Signed with an AWS KMS key'),
  handler: async (argv) => {
    const options = parse(argv);
    // The key is checked before collecting: a wrong one must not cost a whole collection.
    options.signer = await signerOf(argv, { profile: options.profile, endpointUrl: options.endpointUrl });
    // Whatever stops collect is printed: an endpoint's words in it may carry credentials.
    const { manifest, summary } = await collect(options).catch((e: unknown) => Promise.reject(redactError(e)));
    process.stdout.write(`${summary}\n`);
    if (options.signer) process.stdout.write(`Signed ${options.out}/manifest.json with ${options.signer.keyId}\n`);
    if (manifest.gaps.length) {
      throw new AuditpackError(`${options.out}: written with ${manifest.gaps.length} gap(s); they are listed in its manifest and in reports`, ExitCode.CompletedWithGaps);
    }
  },
};
