import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { signDigest } from './p256';
import type { FakeResponse, FakeService } from './server';

/**
 * AWS KMS in its awsJson1_1 protocol (X-Amz-Target TrentService.*): GetPublicKey and Sign for
 * asymmetric ECC_NIST_P256 keys made with node:crypto, looked up by key id, key ARN, alias
 * name or alias ARN in the Region the request was signed for. A symmetric key is there to be
 * refused. The private keys never leave the fake, as they never leave KMS.
 */
export interface FakeKmsKey {
  keyId: string;
  arn: string;
  region: string;
  aliases: string[];
  spec: 'ECC_NIST_P256' | 'SYMMETRIC_DEFAULT';
  privateKey: KeyObject | null;
  publicKey: KeyObject | null;
}

export function fakeKmsKey(accountId: string, region: string, aliases: string[], spec: FakeKmsKey['spec'] = 'ECC_NIST_P256'): FakeKmsKey {
  const keyId = randomUUID();
  const pair = spec === 'ECC_NIST_P256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : null;
  return { keyId, arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`, region, aliases, spec, privateKey: pair?.privateKey ?? null, publicKey: pair?.publicKey ?? null };
}

export function fakeKms(keys: readonly FakeKmsKey[]): FakeService {
  const json = (body: unknown): FakeResponse => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ __type: code, message }),
  });
  const find = (ref: string, region: string, accountId: string) =>
    keys.find(
      (k) =>
        k.region === region &&
        (ref === k.keyId || ref === k.arn || k.aliases.some((a) => ref === `alias/${a}` || ref === `arn:aws:kms:${region}:${accountId}:alias/${a}`)),
    );
  return {
    operation: (req) => String(req.headers['x-amz-target'] ?? '').replace(/^TrentService\./, ''),
    error,
    throttling: { status: 400, code: 'ThrottlingException' },
    handle: (req, operation) => {
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return error(400, 'SerializationException', 'wrong content type');
      const input = JSON.parse(req.body) as { KeyId?: string; Message?: string; MessageType?: string; SigningAlgorithm?: string };
      const key = find(input.KeyId ?? '', req.scope.region, req.accountId);
      if (!key) return error(400, 'NotFoundException', `Key '${input.KeyId}' does not exist`);
      if (operation === 'GetPublicKey') {
        if (!key.publicKey) return error(400, 'UnsupportedOperationException', `${key.arn} key usage is ENCRYPT_DECRYPT which is not valid for GetPublicKey.`);
        return json({
          KeyId: key.arn,
          KeySpec: key.spec,
          CustomerMasterKeySpec: key.spec,
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
          SigningAlgorithms: ['ECDSA_SHA_256'],
        });
      }
      if (operation === 'Sign') {
        if (!key.privateKey) return error(400, 'InvalidKeyUsageException', `${key.arn} key usage is ENCRYPT_DECRYPT which is not valid for signing.`);
        if (input.SigningAlgorithm !== 'ECDSA_SHA_256') return error(400, 'InvalidKeyUsageException', `Algorithm ${input.SigningAlgorithm} is incompatible with key spec ${key.spec}.`);
        const message = Buffer.from(input.Message ?? '', 'base64');
        const type = input.MessageType ?? 'RAW';
        if (type === 'DIGEST' && message.length !== 32) return error(400, 'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
        const signature = type === 'DIGEST' ? signDigest(message, key.privateKey) : sign('sha256', message, { key: key.privateKey, dsaEncoding: 'der' });
        return json({ KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
      }
      return error(400, 'UnknownOperationException', `${operation} is not served by the fake`);
    },
  };
}


