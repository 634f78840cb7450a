import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { AuditpackError } from '../../errors';
import { awsClientConfig, describeAwsError, requireAwsCredentials, type AwsAccess } from '../../util/aws-access';
import type { Signer, TrustedKey } from '../signature';

/**
 * Signing with an asymmetric AWS KMS key: KMS signs the manifest's SHA-256 (MessageType
 * DIGEST, so the manifest itself never leaves the machine) and the private key never leaves
 * KMS. The result is a standard DER-encoded ECDSA P-256 signature anyone can check with the
 * public key alone.
 */
const KEY_SPEC = 'ECC_NIST_P256';
const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** A key ARN carries its Region; an id or alias is looked up in the Region the SDK resolves. */
function regionOf(keyRef: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyRef)?.[1];
}

function client(keyRef: string, access: AwsAccess): KMSClient {
  return new KMSClient(awsClientConfig(access, regionOf(keyRef) ?? access.region));
}

async function call<T>(keyRef: string, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    const reason = describeAwsError(e);
    if (/region is missing/i.test(reason)) throw new AuditpackError(`kms:${keyRef}: no AWS Region: give the key's ARN, --region, or set AWS_REGION`);
    throw new AuditpackError(`kms:${keyRef}: KMS ${operation} failed: ${reason}`);
  }
}

/** The key's ARN and public key, refusing any key that cannot make the signatures auditpack checks. */
async function publicKeyOf(kms: KMSClient, keyRef: string, access: AwsAccess): Promise<{ keyArn: string; publicKey: ReturnType<typeof createPublicKey> }> {
  await requireAwsCredentials(access);
  const out = await call(keyRef, 'GetPublicKey', () => kms.send(new GetPublicKeyCommand({ KeyId: keyRef })));
  if (out.KeySpec !== KEY_SPEC || out.KeyUsage !== 'SIGN_VERIFY' || !out.SigningAlgorithms?.includes(SIGNING_ALGORITHM)) {
    throw new AuditpackError(`kms:${keyRef}: a ${out.KeySpec} ${out.KeyUsage} key; auditpack signs with an asymmetric ${KEY_SPEC} SIGN_VERIFY key (${SIGNING_ALGORITHM})`);
  }
  if (!out.KeyId || !out.PublicKey) throw new AuditpackError(`kms:${keyRef}: KMS GetPublicKey returned no key`);
  return { keyArn: out.KeyId, publicKey: createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }) };
}

/** A signer for a KMS key; the key is checked now, so a wrong key fails before any work. */
export async function kmsSigner(keyRef: string, access: AwsAccess): Promise<Signer> {
  const kms = client(keyRef, access);
  const { keyArn, publicKey } = await publicKeyOf(kms, keyRef, access);
  return {
    algorithm: 'ecdsa-p256-sha256',
    keyId: keyArn,
    publicKey,
    sign: async (message) => {
      const digest = createHash('sha256').update(message).digest();
      const out = await call(keyRef, 'Sign', () =>
        kms.send(new SignCommand({ KeyId: keyArn, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: SIGNING_ALGORITHM })),
      );
      if (!out.Signature) throw new AuditpackError(`kms:${keyRef}: KMS Sign returned no signature`);
      return Buffer.from(out.Signature);
    },
  };
}

/** The public key of a KMS key, fetched with GetPublicKey, to check a signature with. */
export async function kmsPublicKey(keyRef: string, access: AwsAccess): Promise<TrustedKey> {
  const kms = client(keyRef, access);
  try {
    const { keyArn, publicKey } = await publicKeyOf(kms, keyRef, access);
    return { publicKey, source: `KMS key ${keyArn}` };
  } finally {
    kms.destroy();
  }
}
