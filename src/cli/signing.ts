import type { Argv } from 'yargs';
import { AuditpackError } from '../errors';
import type { Signer } from '../integrity/signature';
import { resolveSigner } from '../integrity/signers';
import type { AwsAccess } from '../util/aws-access';
import { parseRegions } from './options';

/** `--sign KEY` on the commands that write a pack or a report. */
export function withSignOption<T>(y: Argv<T>) {
  return y.option('sign', { type: 'string', describe: 'Sign the manifest: a PEM private key file (auditpack keygen), or kms:KEY_ID_OR_ALIAS_OR_ARN (docs/signing.md)' });
}

/** `--pubkey FILE | --kms KEY`: the key a signature is checked with. */
export function withTrustOptions<T>(y: Argv<T>) {
  return y
    .option('pubkey', { type: 'string', describe: 'Check the signature with this PEM public key' })
    .option('kms', { type: 'string', describe: 'Check the signature with the public key of this AWS KMS key (GetPublicKey)' })
    .conflicts('pubkey', 'kms');
}

/** How commands other than collect reach AWS (KMS, S3); collect has its own --profile and --endpoint-url. */
export function withAwsAccessOptions<T>(y: Argv<T>) {
  return y
    .option('profile', { type: 'string', describe: 'AWS shared config profile (for KMS and S3)' })
    .option('region', { type: 'string', describe: 'AWS Region for KMS and S3; default: AWS_REGION or the profile\'s region (a KMS key ARN carries its own)' })
    .option('endpoint-url', { type: 'string', describe: 'Send AWS requests to this endpoint (emulators); see also AWS_ENDPOINT_URL_<SERVICE>' });
}

export interface AwsAccessArgs {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export function parseAwsAccess(argv: AwsAccessArgs): AwsAccess {
  if (argv.endpointUrl !== undefined && !URL.canParse(argv.endpointUrl)) throw new AuditpackError(`--endpoint-url: "${argv.endpointUrl}" is not a URL`);
  const region = argv.region === undefined ? undefined : parseRegions('region', argv.region);
  if (region && region.length !== 1) throw new AuditpackError('--region: give one region');
  return { profile: argv.profile, region: region?.[0], endpointUrl: argv.endpointUrl };
}

/** The signer for --sign, checked before any work so a bad key fails first. */
export function signerOf(argv: { sign?: string }, access: AwsAccess): Promise<Signer | undefined> {
  if (argv.sign === undefined) return Promise.resolve(undefined);
  if (!argv.sign.trim()) throw new AuditpackError('--sign: no key given; name a PEM private key file or kms:KEY');
  return resolveSigner(argv.sign, access);
}
