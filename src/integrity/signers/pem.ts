import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuditpackError } from '../../errors';
import { algorithmOf, digestFor, publicKeyFingerprint, type SignatureAlgorithm, type Signer, type TrustedKey } from '../signature';

async function readPem(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new AuditpackError(`${option}: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function keyAlgorithm(key: KeyObject, option: string, file: string): SignatureAlgorithm {
  const algorithm = algorithmOf(key);
  if (!algorithm) {
    const type = key.asymmetricKeyType === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : key.asymmetricKeyType;
    throw new AuditpackError(`${option}: ${file}: a key of type ${type}; auditpack signs with Ed25519 (auditpack keygen) or ECDSA P-256 keys`);
  }
  return algorithm;
}

/** A signer for a PEM private key file (PKCS#8, or SEC1 for P-256), unencrypted. */
export async function pemSigner(file: string): Promise<Signer> {
  const text = await readPem(file, '--sign');
  if (/-----BEGIN PUBLIC KEY-----/.test(text)) throw new AuditpackError(`--sign: ${file}: is a public key; signing needs the private key (the .pub.pem file is for verify --pubkey)`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ERR_MISSING_PASSPHRASE' ? 'encrypted with a passphrase, which auditpack does not read' : 'not a PEM private key';
    throw new AuditpackError(`--sign: ${file}: ${why}`);
  }
  const algorithm = keyAlgorithm(key, '--sign', file);
  const publicKey = createPublicKey(key);
  return {
    algorithm,
    keyId: publicKeyFingerprint(publicKey),
    publicKey,
    sign: async (message) => sign(digestFor(algorithm), message, { key, dsaEncoding: 'der' }),
  };
}

/** A public key file to check signatures with (a private key file works too: its public half is used). */
export async function pemPublicKey(file: string): Promise<TrustedKey> {
  const text = await readPem(file, '--pubkey');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new AuditpackError(`--pubkey: ${file}: not a PEM public key`);
  }
  keyAlgorithm(key, '--pubkey', file);
  return { publicKey: key, source: `public key ${file}` };
}
