import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, FAKE_REGIONS, sampleEstate, startEstateAws, type FakeAws, type FakeEstate } from './helpers/fake-aws';
import { fakeKmsKey, startStorageAws, STORAGE_ACCOUNT, STORAGE_REGION, type FakeKmsKey, type StorageAws } from './helpers/fake-aws/storage';
import { filesIn, useTempDir } from './helpers/tmp';

/**
 * Signed packs and reports end to end, through the compiled CLI: keygen, demo --sign, verify
 * with and without a key, tampering of every kind, report --pubkey, and KMS signing against a
 * fake KMS that speaks its wire protocol.
 */
const tmp = useTempDir('auditpack-signing-');
const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_REGION: STORAGE_REGION });
const cli = (...args: string[]): Promise<CliResult> => runCli(args, env, tmp());
/** A small sample, CSV only: enough to sign, quick to render. */
const SMALL = ['--accounts', '1', '--resources-per-account', '5', '--format', 'csv'];

const at = (...parts: string[]) => path.join(tmp(), ...parts);
const keyPair = (name: string) => ({ privateKey: at(name, 'auditpack-signing-key.pem'), publicKey: at(name, 'auditpack-signing-key.pub.pem') });
const sigOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.sig.json'), 'utf8'));

/** A fresh copy of the signed demo pack to damage. */
let copies = 0;
function copyOfPack(): string {
  const dir = at(`copy-${++copies}`);
  cpSync(at('demo', 'evidence'), dir, { recursive: true });
  return dir;
}

let keygenOut: CliResult;
beforeAll(async () => {
  keygenOut = await cli('keygen', '--out', 'keys');
  await cli('keygen', '--out', 'other-keys');
  const demo = await cli('demo', '--out', 'demo', ...SMALL, '--sign', keyPair('keys').privateKey);
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
});

describe('keygen', () => {
  test('writes an Ed25519 key pair, the private key readable by its owner only', () => {
    expect(keygenOut.code).toBe(0);
    const { privateKey, publicKey } = keyPair('keys');
    expect(statSync(privateKey).mode & 0o777).toBe(0o600);
    expect(createPrivateKey(readFileSync(privateKey)).asymmetricKeyType).toBe('ed25519');
    const pub = createPublicKey(readFileSync(publicKey));
    const fingerprint = `sha256:${createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    expect(keygenOut.stdout).toContain(fingerprint);
  });

  test('never overwrites an existing key', async () => {
    const before = readFileSync(keyPair('keys').privateKey);
    const again = await cli('keygen', '--out', 'keys');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/auditpack-signing-key\.pem: already exists/);
    expect(readFileSync(keyPair('keys').privateKey)).toEqual(before);
  });
});

describe('a signed pack', () => {
  test('keygen -> demo --sign -> verify --pubkey passes, for the pack and its report', async () => {
    for (const dir of [at('demo', 'evidence'), at('demo', 'report')]) {
      const r = await cli('verify', dir, '--pubkey', keyPair('keys').publicKey);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^OK .*files match the manifest.*signature verified with public key/);
    }
  });

  test('manifest.sig.json is an Ed25519 signature over the manifest\'s exact bytes, with who and when', () => {
    const dir = at('demo', 'evidence');
    const sig = sigOf(dir);
    const manifest = readFileSync(path.join(dir, 'manifest.json'));
    const pub = createPublicKey(readFileSync(keyPair('keys').publicKey));
    expect(sig).toMatchObject({ format: 'auditpack/signature', algorithm: 'ed25519', tool: { name: 'auditpack' } });
    expect(sig.keyId).toBe(sig.publicKeyFingerprint);
    expect(keygenOut.stdout).toContain(sig.keyId);
    expect(sig.manifest).toEqual({ path: 'manifest.json', sha256: createHash('sha256').update(manifest).digest('hex'), bytes: manifest.length });
    expect(Number.isNaN(Date.parse(sig.signedAt))).toBe(false);
    expect(verify(null, manifest, pub, Buffer.from(sig.signature, 'base64'))).toBe(true);
  });

  test('the report records the signed pack\'s id and signature fingerprint', () => {
    const pack = JSON.parse(readFileSync(at('demo', 'evidence', 'manifest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(at('demo', 'report', 'manifest.json'), 'utf8'));
    const sig = sigOf(at('demo', 'evidence'));
    expect(report.pack.packId).toBe(pack.packId);
    expect(report.pack.signature).toMatchObject({
      keyId: sig.keyId,
      algorithm: 'ed25519',
      signatureFingerprint: `sha256:${createHash('sha256').update(Buffer.from(sig.signature, 'base64')).digest('hex')}`,
      verified: false,
    });
  });

  test('verify without a key says who signed; an unsigned pack says it is not signed', async () => {
    const signed = await cli('verify', at('demo', 'evidence'));
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain(`signed by key ${sigOf(at('demo', 'evidence')).keyId}`);
    expect(signed.stdout).toContain('not checked');
    const unsigned = copyOfPack();
    rmSync(path.join(unsigned, 'manifest.sig.json'));
    const r = await cli('verify', unsigned);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not signed');
    const withKey = await cli('verify', unsigned, '--pubkey', keyPair('keys').publicKey);
    expect(withKey.code).toBe(1);
    expect(withKey.stderr).toMatch(/manifest\.sig\.json: missing: .* is not signed/);
  });

  test('changing one byte of any file makes verify --pubkey fail, naming that file', async () => {
    const names = filesIn(at('demo', 'evidence'));
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig.json', 'config/evaluations.jsonl']));
    for (const name of names) {
      const dir = copyOfPack();
      const file = path.join(dir, name);
      const bytes = readFileSync(file);
      const i = Math.floor(bytes.length / 2);
      bytes[i] = bytes[i] === 0x30 ? 0x31 : 0x30; // another printable character, so JSON mostly stays JSON
      writeFileSync(file, bytes);
      const r = await cli('verify', dir, '--pubkey', keyPair('keys').publicKey);
      expect({ name, code: r.code }).toEqual({ name, code: 1 });
      expect(r.stderr).toContain(name);
    }
  });

  test('rewriting the manifest with fresh hashes fails as a manifest changed after signing', async () => {
    const dir = copyOfPack();
    const evaluations = path.join(dir, 'config', 'evaluations.jsonl');
    writeFileSync(evaluations, readFileSync(evaluations, 'utf8').replace('NON_COMPLIANT', 'COMPLIANT'));
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const entry = manifest.files.find((f: { path: string }) => f.path === 'config/evaluations.jsonl');
    const bytes = readFileSync(evaluations);
    Object.assign(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    for (const args of [['--pubkey', keyPair('keys').publicKey], []]) {
      const r = await cli('verify', dir, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/manifest\.json: changed after signing/);
    }
    // The forger also rewrites the digest the signature file claims: the signature itself gives it away.
    const sig = sigOf(dir);
    const rewritten = readFileSync(manifestFile);
    sig.manifest = { path: 'manifest.json', sha256: createHash('sha256').update(rewritten).digest('hex'), bytes: rewritten.length };
    writeFileSync(path.join(dir, 'manifest.sig.json'), JSON.stringify(sig));
    const r = await cli('verify', dir, '--pubkey', keyPair('keys').publicKey);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/manifest\.sig\.json: bad signature/);
  });

  test('a pack signed with another key fails, naming the key that signed it', async () => {
    const r = await cli('verify', at('demo', 'evidence'), '--pubkey', keyPair('other-keys').publicKey);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`signed by key ${sigOf(at('demo', 'evidence')).keyId}`);
    expect(r.stderr).toContain('not by public key');
    // Re-signed by another key but claiming the first: the claim does not match the signature.
    const dir = copyOfPack();
    const forged = await cli('report', dir, '--out', 'forged-report', '--format', 'csv', '--sign', keyPair('other-keys').privateKey);
    expect(forged.code).toBe(0);
    const sig = sigOf(at('forged-report'));
    sig.keyId = sig.publicKeyFingerprint = sigOf(at('demo', 'report')).publicKeyFingerprint;
    writeFileSync(at('forged-report', 'manifest.sig.json'), JSON.stringify(sig));
    const claimed = await cli('verify', at('forged-report'), '--pubkey', keyPair('keys').publicKey);
    expect(claimed.code).toBe(1);
    expect(claimed.stderr).toMatch(/bad signature/);
  });

  test('report --pubkey checks the pack\'s signature: a pack signed by another key is refused and nothing is written', async () => {
    const ok = await cli('report', at('demo', 'evidence'), '--out', 'checked-report', '--format', 'csv', '--pubkey', keyPair('keys').publicKey);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Pack signed by .*verified/);
    expect(JSON.parse(readFileSync(at('checked-report', 'manifest.json'), 'utf8')).pack.signature.verified).toBe(true);
    const refused = await cli('report', at('demo', 'evidence'), '--out', 'refused-report', '--format', 'csv', '--pubkey', keyPair('other-keys').publicKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not by public key/);
    expect(existsSync(at('refused-report'))).toBe(false);
  });

  test('a P-256 PEM key (SEC1) signs with ECDSA; an RSA key is refused', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(at('ec.pem'), ec.privateKey.export({ type: 'sec1', format: 'pem' }));
    writeFileSync(at('ec.pub.pem'), ec.publicKey.export({ type: 'spki', format: 'pem' }));
    const demo = await cli('demo', '--out', 'ec-demo', ...SMALL, '--sign', at('ec.pem'));
    expect(demo.code).toBe(0);
    expect(sigOf(at('ec-demo', 'evidence')).algorithm).toBe('ecdsa-p256-sha256');
    expect((await cli('verify', at('ec-demo', 'evidence'), '--pubkey', at('ec.pub.pem'))).code).toBe(0);
    writeFileSync(at('rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const rsa = await cli('demo', '--out', 'rsa-demo', ...SMALL, '--sign', at('rsa.pem'));
    expect(rsa.code).toBe(1);
    expect(rsa.stderr).toMatch(/rsa\.pem: a key of type rsa; auditpack signs with Ed25519 \(auditpack keygen\) or ECDSA P-256 keys/);
  });

  test('bad keys: one line naming the file, exit 1, no pack written', async () => {
    for (const [key, message] of [
      [keyPair('keys').publicKey, /is a public key; signing needs the private key/],
      [at('no-such-key.pem'), /no-such-key\.pem: cannot read \(ENOENT\)/],
      [at('demo', 'evidence', 'manifest.json'), /manifest\.json: not a PEM private key/],
    ] as const) {
      const r = await cli('demo', '--out', 'bad-key-demo', ...SMALL, '--sign', key);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(at('bad-key-demo'))).toBe(false);
    }
  });
});

describe('signing with AWS KMS', () => {
  let storage: StorageAws;
  let signing: FakeKmsKey;
  let refuseSign = false;
  beforeAll(async () => {
    signing = fakeKmsKey(STORAGE_ACCOUNT, STORAGE_REGION, ['auditpack-signing']);
    const symmetric = fakeKmsKey(STORAGE_ACCOUNT, STORAGE_REGION, ['data-key'], 'SYMMETRIC_DEFAULT');
    storage = await startStorageAws({
      buckets: {},
      kmsKeys: [signing, symmetric],
      faults: (call) => (refuseSign && call.operation === 'Sign' ? { status: 400, code: 'KMSInvalidStateException', message: 'key is pending deletion' } : undefined),
    });
  });
  afterAll(() => storage.aws.close());

  test('demo --sign kms:ALIAS signs with KMS; verify --kms passes; the signature is standard ECDSA P-256', async () => {
    const url = storage.aws.url;
    const demo = await cli('demo', '--out', 'kms-demo', ...SMALL, '--sign', 'kms:alias/auditpack-signing', '--endpoint-url', url);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    for (const dir of [at('kms-demo', 'evidence'), at('kms-demo', 'report')]) {
      const sig = sigOf(dir);
      expect(sig).toMatchObject({ algorithm: 'ecdsa-p256-sha256', keyId: signing.arn });
      // Only the public key, only node:crypto: anyone can check it without AWS or auditpack.
      const publicPem = signing.publicKey!.export({ type: 'spki', format: 'pem' });
      expect(verify('sha256', readFileSync(path.join(dir, 'manifest.json')), { key: createPublicKey(publicPem), dsaEncoding: 'der' }, Buffer.from(sig.signature, 'base64'))).toBe(true);
      const r = await cli('verify', dir, '--kms', 'alias/auditpack-signing', '--endpoint-url', url);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`signature verified with KMS key ${signing.arn}`);
    }
    writeFileSync(at('kms.pub.pem'), signing.publicKey!.export({ type: 'spki', format: 'pem' }));
    expect((await cli('verify', at('kms-demo', 'evidence'), '--pubkey', at('kms.pub.pem'))).code).toBe(0);
    // The pack signed with the PEM key: the KMS key's public key does not verify it.
    expect((await cli('verify', at('demo', 'evidence'), '--kms', signing.arn, '--endpoint-url', url)).code).toBe(1);
    const operations = storage.aws.calls.map((c) => c.operation);
    expect(operations).toEqual(expect.arrayContaining(['GetPublicKey', 'Sign']));
    expect(storage.aws.rejected).toEqual([]);
  });

  test('KMS refusing to sign after the work is done leaves nothing behind', async () => {
    refuseSign = true;
    try {
      const r = await cli('demo', '--out', 'kms-refused', ...SMALL, '--sign', 'kms:alias/auditpack-signing', '--endpoint-url', storage.aws.url);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/kms:alias\/auditpack-signing: KMS Sign failed: KMSInvalidStateException: key is pending deletion/);
      // Neither the pack nor its hidden staging directory.
      expect(existsSync(at('kms-refused')) ? readdirSync(at('kms-refused')) : []).toEqual([]);
    } finally {
      refuseSign = false;
    }
  });

  test('a key that cannot sign is refused before anything is written', async () => {
    for (const key of ['kms:alias/data-key', 'kms:alias/no-such-key']) {
      const r = await cli('demo', '--out', 'kms-bad', ...SMALL, '--sign', key, '--endpoint-url', storage.aws.url);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`${key}: KMS GetPublicKey failed: (UnsupportedOperationException|NotFoundException)`));
      expect(existsSync(at('kms-bad'))).toBe(false);
    }
  });
});

describe('collect --sign', () => {
  let estate: FakeEstate;
  let aws: FakeAws;
  beforeAll(async () => {
    estate = await sampleEstate(at('estate'));
    aws = await startEstateAws(estate);
  });
  afterAll(() => aws.close());
  const collect = (out: string, key: string) =>
    runCli(['collect', '--out', out, '--regions', FAKE_REGIONS.join(','), '--endpoint-url', aws.url, '--quiet', '--sign', key], env, tmp());

  test('signs the collected pack before it moves into place; verify --pubkey passes', async () => {
    const r = await collect('collected', keyPair('keys').privateKey);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`with ${sigOf(at('demo', 'evidence')).keyId}`);
    const v = await cli('verify', at('collected'), '--pubkey', keyPair('keys').publicKey);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('signature verified');
  });

  test('a bad key fails before any AWS call', async () => {
    const calls = aws.calls.length;
    const r = await collect('not-collected', keyPair('keys').publicKey);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is a public key/);
    expect(aws.calls.length).toBe(calls);
    expect(existsSync(at('not-collected'))).toBe(false);
  });
});
