import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../errors';
import { publicKeyFingerprint } from './signature';

export const PRIVATE_KEY_FILE = 'auditpack-signing-key.pem';
export const PUBLIC_KEY_FILE = 'auditpack-signing-key.pub.pem';

export interface KeyPairFiles {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

/**
 * Writes a new Ed25519 key pair. A key that signed packs must never be lost to a second run,
 * so existing files are refused, and the private key is readable by its owner only.
 */
export async function writeKeyPair(dir: string): Promise<KeyPairFiles> {
  const files = { privateKey: path.join(dir, PRIVATE_KEY_FILE), publicKey: path.join(dir, PUBLIC_KEY_FILE) };
  for (const file of Object.values(files)) {
    if (existsSync(file)) throw new AuditpackError(`${file}: already exists; keygen never overwrites a key (choose another --out)`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // 'wx' fails if the file appeared since the check: a key is still never overwritten.
    await writeFile(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx', mode: 0o644 });
    try {
      await writeFile(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      await rm(files.publicKey, { force: true });
      throw e;
    }
  } catch (e) {
    if (e instanceof AuditpackError) throw e;
    throw new AuditpackError(`${dir}: cannot write the key pair (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return { ...files, fingerprint: publicKeyFingerprint(publicKey) };
}
