import type { CommandModule } from 'yargs';
import { describeLocation, parseS3Url } from '../../publish/location';
import { LOCK_MODES, parseRetention } from '../../publish/retention';
import { parseAwsAccess, withAwsAccessOptions, type AwsAccessArgs } from '../signing';

interface Args extends AwsAccessArgs {
  dir: string;
  destination: string;
  'retain-until'?: string;
  'retain-days'?: number;
  mode: string;
  quiet: boolean;
}

export const publishCommand: CommandModule<object, Args> = {
  command: 'publish <dir> <destination>',
  describe: 'Upload a pack or report folder to an S3 bucket with Object Lock, every object locked (docs/signing.md)',
  builder: (y) =>
    withAwsAccessOptions(y)
      .positional('dir', { type: 'string', demandOption: true, describe: 'Evidence pack or report folder (it must verify)' })
      .positional('destination', { type: 'string', demandOption: true, describe: 's3://BUCKET/PREFIX, a prefix that holds nothing yet' })
      .option('retain-until', { type: 'string', describe: 'Lock every object until this date (YYYY-MM-DD, UTC) or ISO 8601 timestamp' })
      .option('retain-days', { type: 'number', describe: 'Lock every object for this many days from now' })
      .option('mode', { type: 'string', default: 'COMPLIANCE', describe: `Object Lock mode: ${LOCK_MODES.join(' (no one can shorten or remove it) or ')} (users with s3:BypassGovernanceRetention can)` })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output; only the summary' })
      .conflicts('retain-until', 'retain-days')
      .example('$0 publish packs/2026-Q4 s3://agency-evidence/packs/2026-Q4 --retain-days 2555', 'Keep the pack unchangeable for seven years')
      .example('$0 publish reports/2026-Q4 s3://agency-evidence/reports/2026-Q4 --retain-until 2033-12-31 --mode GOVERNANCE', 'A report, in governance mode'),
  handler: async (argv) => {
    const retention = parseRetention({ retainUntil: argv.retainUntil, retainDays: argv.retainDays, mode: argv.mode });
    const location = parseS3Url(argv.destination);
    // Loaded here, not at start-up: the S3 client is large and every other command starts faster without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { publishFolder } = require('../../publish/publish') as typeof import('../../publish/publish');
    const published = await publishFolder({ dir: argv.dir, location, retention, access: parseAwsAccess(argv), quiet: argv.quiet });
    process.stdout.write(
      `Published ${argv.dir} to ${describeLocation(location)}: ${published.objects} objects, ${published.bytes} bytes, each locked in ${retention.mode} mode until ${retention.until.toISOString()}\n`,
    );
  },
};
