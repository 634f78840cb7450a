import { createHash, verify as verifyBytes, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { TOOL } from '../version';
import { digestBytes } from './files';
import { MANIFEST_FILE, SIGNATURE_FILE } from './verify';

/**
 * A pack or report folder is signed by signing its manifest's exact bytes: the manifest hashes
 * every other file, so one signature covers the folder. The signature lives beside the
 * manifest in manifest.sig.json; everything in that file but the signature itself is a claim
 * that a verifier checks against the key it trusts, never takes on trust.
 */
export const SIGNATURE_FORMAT = 'auditpack/signature';

/** Ed25519 over the bytes (keygen's keys); ECDSA P-256 over their SHA-256 (KMS keys, or a P-256 PEM key). */
export const SIGNATURE_ALGORITHMS = ['ed25519', 'ecdsa-p256-sha256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

export const SignatureFile = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  formatVersion: z.literal(1),
  algorithm: z.enum(SIGNATURE_ALGORITHMS),
  /** The public key's fingerprint for a PEM key; the key ARN for an AWS KMS key. */
  keyId: z.string().min(1),
  publicKeyFingerprint: z.string().regex(FINGERPRINT, 'must be sha256: and 64 lowercase hex digits'),
  signedAt: z.iso.datetime({ offset: true }),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  manifest: z.strictObject({ path: z.literal(MANIFEST_FILE), sha256: sha256Hex, bytes: z.number().int().nonnegative() }),
  /** Base64: the Ed25519 signature, or the DER-encoded ECDSA signature. */
  signature: z.base64().min(1),
});
export type SignatureFile = z.infer<typeof SignatureFile>;

/** Something that can sign, whose private half the caller may never see (KMS). */
export interface Signer {
  algorithm: SignatureAlgorithm;
  keyId: string;
  publicKey: KeyObject;
  sign(message: Buffer): Promise<Buffer>;
}

/** A public key the user trusts, and where it came from (for messages). */
export interface TrustedKey {
  publicKey: KeyObject;
  source: string;
}

/** SHA-256 of the key's DER SubjectPublicKeyInfo: the same key gives the same id whatever its PEM layout. */
export function publicKeyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** The algorithm a key signs with, or null for a key auditpack does not sign with. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256';
  return null;
}

/** Node's digest argument: Ed25519 hashes internally, ECDSA signs the SHA-256 of the message. */
export const digestFor = (algorithm: SignatureAlgorithm): string | null => (algorithm === 'ed25519' ? null : 'sha256');

function checks(algorithm: SignatureAlgorithm, message: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verifyBytes(digestFor(algorithm), message, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false; // a malformed signature is a bad one
  }
}

/** Who signed, as a person reads it. */
export function describeSigner(s: SignatureFile): string {
  const key = s.keyId === s.publicKeyFingerprint ? `key ${s.keyId}` : `${s.keyId} (public key ${s.publicKeyFingerprint})`;
  return `${key}, ${s.algorithm}, at ${s.signedAt}`;
}

/** Identifies one signature (not just the key): what a report records of the pack it came from. */
export function signatureFingerprint(s: SignatureFile): string {
  return `sha256:${createHash('sha256').update(Buffer.from(s.signature, 'base64')).digest('hex')}`;
}

/** Signs a finished folder's manifest and writes manifest.sig.json beside it. */
export async function signFolder(dir: string, signer: Signer): Promise<SignatureFile> {
  const manifest = await readFile(path.join(dir, MANIFEST_FILE));
  const signature = await signer.sign(manifest);
  // A signer that does not hold the key it described (a KMS key swapped under an alias) would
  // write a signature no one can verify: refuse it now rather than at audit time.
  if (!checks(signer.algorithm, manifest, signer.publicKey, signature)) {
    throw new AuditpackError(`${signer.keyId}: the signature it returned does not verify with its own public key; nothing was written`);
  }
  const file: SignatureFile = {
    format: SIGNATURE_FORMAT,
    formatVersion: 1,
    algorithm: signer.algorithm,
    keyId: signer.keyId,
    publicKeyFingerprint: publicKeyFingerprint(signer.publicKey),
    signedAt: new Date().toISOString(),
    tool: { ...TOOL },
    manifest: { path: MANIFEST_FILE, ...digestBytes(manifest) },
    signature: signature.toString('base64'),
  };
  await writeFile(path.join(dir, SIGNATURE_FILE), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** The `seal` step of a staged directory that signs it, or none when nothing is to be signed. */
export function sealWith(signer: Signer | undefined): { seal?: (dir: string) => Promise<void> } {
  return signer ? { seal: async (dir) => void (await signFolder(dir, signer)) } : {};
}

/** Reads manifest.sig.json: null when the folder is not signed. */
export async function readSignature(dir: string): Promise<SignatureFile | null> {
  const file = path.join(dir, SIGNATURE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuditpackError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const parsed = SignatureFile.safeParse(parseJson(text, file));
  if (!parsed.success) throw new AuditpackError(`${file}: not a valid signature file: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

export type SignatureCheck =
  | { state: 'unsigned' }
  /** `verifiedWith` is null when no key was given: the signature's claims are then unchecked. */
  | { state: 'signed'; signature: SignatureFile; verifiedWith: string | null }
  | { state: 'invalid'; problem: string };

/**
 * Checks a folder's signature. Without a key it can still tell that the manifest changed
 * since it was signed; with one, that this key signed exactly this manifest.
 */
export async function checkSignature(dir: string, trusted?: TrustedKey): Promise<SignatureCheck> {
  let signature: SignatureFile | null;
  try {
    signature = await readSignature(dir);
  } catch (e) {
    if (e instanceof AuditpackError) return { state: 'invalid', problem: e.message };
    throw e;
  }
  if (!signature) {
    return trusted ? { state: 'invalid', problem: `${SIGNATURE_FILE}: missing: ${dir} is not signed, but ${trusted.source} was given to check its signature` } : { state: 'unsigned' };
  }
  const manifest = await readFile(path.join(dir, MANIFEST_FILE));
  const actual = digestBytes(manifest);
  if (actual.sha256 !== signature.manifest.sha256 || actual.bytes !== signature.manifest.bytes) {
    return {
      state: 'invalid',
      problem: `${MANIFEST_FILE}: changed after signing: SHA-256 ${actual.sha256} (${actual.bytes} bytes), signed ${signature.manifest.sha256} (${signature.manifest.bytes} bytes)`,
    };
  }
  if (!trusted) return { state: 'signed', signature, verifiedWith: null };
  const given = publicKeyFingerprint(trusted.publicKey);
  if (given !== signature.publicKeyFingerprint) {
    return { state: 'invalid', problem: `${SIGNATURE_FILE}: signed by ${describeSigner(signature)}, not by ${trusted.source} (${given})` };
  }
  const algorithm = algorithmOf(trusted.publicKey);
  if (algorithm !== signature.algorithm || !checks(algorithm, manifest, trusted.publicKey, Buffer.from(signature.signature, 'base64'))) {
    return { state: 'invalid', problem: `${SIGNATURE_FILE}: bad signature: it does not verify over ${MANIFEST_FILE} with ${trusted.source}` };
  }
  return { state: 'signed', signature, verifiedWith: trusted.source };
}

/** One line on the signature for `verify` and `report`. */
export function describeCheck(check: Exclude<SignatureCheck, { state: 'invalid' }>): string {
  if (check.state === 'unsigned') return 'not signed';
  const by = describeSigner(check.signature);
  return check.verifiedWith ? `signature verified with ${check.verifiedWith}: ${by}` : `signed by ${by}; not checked (give --pubkey or --kms to check it)`;
}

/** What a report records of the signed pack it was made from, so it can be traced to that pack. */
export interface PackSignatureRef {
  keyId: string;
  algorithm: SignatureAlgorithm;
  publicKeyFingerprint: string;
  /** SHA-256 of the signature bytes: tells this signature apart from another by the same key. */
  signatureFingerprint: string;
  signedAt: string;
  /** True when the report checked the signature with a key the user gave. */
  verified: boolean;
}

/**
 * The signature of a pack about to be reported on: null for an unsigned pack (when no key
 * demands one), an error for a signature that does not hold.
 */
export async function packSignature(dir: string, trusted?: TrustedKey): Promise<PackSignatureRef | null> {
  const check = await checkSignature(dir, trusted);
  if (check.state === 'invalid') throw new AuditpackError(`${dir}: ${check.problem}`);
  if (check.state === 'unsigned') return null;
  const s = check.signature;
  return {
    keyId: s.keyId,
    algorithm: s.algorithm,
    publicKeyFingerprint: s.publicKeyFingerprint,
    signatureFingerprint: signatureFingerprint(s),
    signedAt: s.signedAt,
    verified: check.verifiedWith !== null,
  };
}
