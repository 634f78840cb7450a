import { AuditpackError } from '../../errors';
import type { AwsAccess } from '../../util/aws-access';
import type { Signer, TrustedKey } from '../signature';
import { pemPublicKey, pemSigner } from './pem';

const KMS_PREFIX = 'kms:';

/** Loaded on first use: the KMS client costs start-up time that PEM keys and unsigned runs do not need. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kms = () => require('./kms') as typeof import('./kms');

/** `--sign`: a PEM private key file, or `kms:KEY_ID_OR_ALIAS_OR_ARN`. */
export function resolveSigner(spec: string, access: AwsAccess): Promise<Signer> {
  if (!spec.startsWith(KMS_PREFIX)) return pemSigner(spec);
  const keyRef = spec.slice(KMS_PREFIX.length);
  if (!keyRef) throw new AuditpackError('--sign: kms: needs a key id, alias or ARN, e.g. kms:alias/auditpack-signing');
  return kms().kmsSigner(keyRef, access);
}

/** `--pubkey FILE` or `--kms KEY`: the key a signature must verify with, if any. */
export async function resolveTrustedKey(options: { pubkey?: string; kms?: string }, access: AwsAccess): Promise<TrustedKey | undefined> {
  if (options.pubkey !== undefined && options.kms !== undefined) throw new AuditpackError('--pubkey and --kms: give one key to check the signature with');
  if (options.pubkey !== undefined) return pemPublicKey(options.pubkey);
  if (options.kms !== undefined) return kms().kmsPublicKey(options.kms.replace(/^kms:/, ''), access);
  return undefined;
}
