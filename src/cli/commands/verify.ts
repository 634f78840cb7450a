import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { AuditpackError, ExitCode } from '../../errors';
import { checkFolder } from '../../integrity/check';
import { resolveTrustedKey } from '../../integrity/signers';
import type { TrustedKey } from '../../integrity/signature';
import { describeLocation, isS3Url, parseS3Url, type S3Location } from '../../publish/location';
import type { AwsAccess } from '../../util/aws-access';
import { parseAwsAccess, withAwsAccessOptions, withTrustOptions, type AwsAccessArgs } from '../signing';

interface Args extends AwsAccessArgs {
  dir: string;
  pubkey?: string;
  kms?: string;
  quiet: boolean;
}

interface Verdict {
  problems: string[];
  summary: string;
}

async function verifyPublished(location: S3Location, access: AwsAccess, trusted: TrustedKey | undefined, quiet: boolean): Promise<Verdict> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'auditpack-verify-'));
  // What is said about the downloaded copy is said of the place it was published, never the temporary folder.
  const named = (text: string) => text.split(copy).join(describeLocation(location).slice(0, -1));
  try {
    // Loaded here, not at start-up: the S3 client is large and a local verify never needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fetchPublished } = require('../../publish/fetch') as typeof import('../../publish/fetch');
    const storage = await fetchPublished(location, access, copy, quiet);
    const check = await checkFolder(copy, trusted).catch((e: unknown) => {
      if (e instanceof AuditpackError) throw new AuditpackError(named(e.message));
      throw e;
    });
    const problems = [...storage, ...check.problems.map(named)];
    const summary = named(storage.length ? `${storage.length} object(s) not stored as published${check.problems.length ? `; ${check.summary}` : ''}` : check.summary);
    return { problems, summary: problems.length ? summary : `${summary}; every object under Object Lock retention` };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

export const verifyCommand: CommandModule<object, Args> = {
  command: 'verify <dir>',
  describe: 'Recompute every hash in an evidence pack or report folder manifest, and check its signature',
  builder: (y) =>
    withAwsAccessOptions(withTrustOptions(y))
      .positional('dir', { type: 'string', demandOption: true, describe: 'Evidence pack or report folder, or s3://BUCKET/PREFIX where it was published' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output while downloading from S3' })
      .example('$0 verify out/demo/evidence', 'Check that no evidence file changed since collection')
      .example('$0 verify out/demo/report', 'Check a rendered report folder')
      .example('$0 verify packs/2026-Q4 --pubkey collector.pub.pem', 'Also check who signed it')
      .example('$0 verify s3://agency-evidence/packs/2026-Q4 --kms alias/auditpack-signing', 'Check a published pack and its retention'),
  handler: async (argv) => {
    const access = parseAwsAccess(argv);
    const trusted = await resolveTrustedKey(argv, access);
    const location = isS3Url(argv.dir) ? parseS3Url(argv.dir) : null;
    const where = location ? describeLocation(location) : argv.dir;
    const { problems, summary } = location ? await verifyPublished(location, access, trusted, argv.quiet) : await checkFolder(argv.dir, trusted);
    if (problems.length) {
      for (const p of problems) process.stderr.write(`${p}\n`);
      throw new AuditpackError(`${where}: ${summary}`, ExitCode.Error);
    }
    process.stdout.write(`OK ${where}: ${summary}\n`);
  },
};
