import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS } from './helpers/fake-aws';
import { fakeKmsKey, startStorageAws, STORAGE_ACCOUNT, STORAGE_REGION, type FakeKmsKey, type StorageAws } from './helpers/fake-aws/storage';
import { filesIn, useTempDir } from './helpers/tmp';

/**
 * publish and verify s3:// end to end: the compiled CLI against a fake S3 (REST-XML, Object
 * Lock, checksums, SigV4 with S3's payload hashes) and a fake KMS, through the real SDK clients.
 */
const tmp = useTempDir('auditpack-publish-');
const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_REGION: STORAGE_REGION });
const at = (...parts: string[]) => path.join(tmp(), ...parts);
const LOCKED = 'agency-evidence';
const UNLOCKED = 'agency-scratch';
const DAY_MS = 86_400_000;

const POLICY = JSON.parse(readFileSync(path.join(__dirname, '..', 'docs', 'iam-policy-publish.json'), 'utf8')) as { Statement: { Action: string[] }[] };
const POLICY_ACTIONS = new Set(POLICY.Statement.flatMap((s) => s.Action));
/** The IAM action each API operation needs (PutObject with retention headers needs both). */
const ACTIONS: Record<string, string[]> = {
  GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
  ListObjectsV2: ['s3:ListBucket'],
  PutObject: ['s3:PutObject', 's3:PutObjectRetention'],
  GetObject: ['s3:GetObject'],
  GetObjectRetention: ['s3:GetObjectRetention'],
  GetPublicKey: ['kms:GetPublicKey'],
  Sign: ['kms:Sign'],
};

let storage: StorageAws;
let kmsKey: FakeKmsKey;
const cli = (...args: string[]): Promise<CliResult> => runCli([...args, '--endpoint-url', storage.aws.url], env, tmp());
const objects = (bucket: string) => storage.s3.buckets.get(bucket)!.objects;

beforeAll(async () => {
  kmsKey = fakeKmsKey(STORAGE_ACCOUNT, STORAGE_REGION, ['auditpack-signing']);
  // Small list pages, so verify has to follow continuation tokens.
  storage = await startStorageAws({ buckets: { [LOCKED]: { objectLock: true }, [UNLOCKED]: { objectLock: false } }, kmsKeys: [kmsKey], pageSize: 4 });
  const demo = await cli('demo', '--out', 'demo', '--accounts', '1', '--resources-per-account', '5', '--format', 'csv', '--sign', 'kms:alias/auditpack-signing');
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
});
afterAll(() => storage.aws.close());

describe('publish', () => {
  let published: CliResult;
  let before = 0;
  beforeAll(async () => {
    before = Date.now();
    published = await cli('publish', at('demo', 'evidence'), `s3://${LOCKED}/packs/2026-Q4`, '--retain-days', '30');
  });

  test('writes every file with its retention and SHA-256 checksum, the manifest and signature last', () => {
    expect(published.code).toBe(0);
    const local = filesIn(at('demo', 'evidence')).sort();
    expect(published.stdout).toMatch(new RegExp(`^Published .* to s3://agency-evidence/packs/2026-Q4/: ${local.length} objects, \\d+ bytes, each locked in COMPLIANCE mode until `));
    const stored = objects(LOCKED);
    expect([...stored.keys()].sort()).toEqual(local.map((f) => `packs/2026-Q4/${f}`).sort());
    for (const file of local) {
      const bytes = readFileSync(at('demo', 'evidence', file));
      const [version, ...more] = stored.get(`packs/2026-Q4/${file}`)!;
      expect(more).toEqual([]);
      expect(version.body.equals(bytes)).toBe(true);
      expect(version.checksumSha256).toBe(createHash('sha256').update(bytes).digest('base64'));
      expect(version.lockMode).toBe('COMPLIANCE');
      const until = Date.parse(version.retainUntil!);
      expect(until).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 1000);
      expect(until).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    }
    expect(storage.s3.puts.slice(-2)).toEqual(['packs/2026-Q4/manifest.json', 'packs/2026-Q4/manifest.sig.json']);
    expect(storage.aws.rejected).toEqual([]);
  });

  test('refuses a bucket without Object Lock, before uploading anything', async () => {
    const r = await cli('publish', at('demo', 'evidence'), `s3://${UNLOCKED}/packs/2026-Q4`, '--retain-days', '30');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^auditpack: s3:\/\/agency-scratch: Object Lock is not enabled on this bucket/);
    expect(objects(UNLOCKED).size).toBe(0);
  });

  test('never overwrites: a prefix that holds anything is refused', async () => {
    const puts = storage.s3.puts.length;
    const r = await cli('publish', at('demo', 'report'), `s3://${LOCKED}/packs/2026-Q4/`, '--retain-until', '2099-01-01', '--mode', 'GOVERNANCE');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/s3:\/\/agency-evidence\/packs\/2026-Q4\/: already holds objects .*choose a new prefix/);
    expect(storage.s3.puts.length).toBe(puts);
  });

  test('a report folder in GOVERNANCE mode until a date', async () => {
    const r = await cli('publish', at('demo', 'report'), `s3://${LOCKED}/reports/2026-Q4`, '--retain-until', '2099-01-01', '--mode', 'governance', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = objects(LOCKED).get('reports/2026-Q4/manifest.json')![0];
    expect(manifest).toMatchObject({ lockMode: 'GOVERNANCE', retainUntil: '2099-01-01T00:00:00.000Z' });
  });

  test('bad input: one line, exit 1 (2 for conflicting options), nothing uploaded', async () => {
    const damaged = at('damaged');
    cpSync(at('demo', 'evidence'), damaged, { recursive: true });
    writeFileSync(path.join(damaged, 'config', 'rules.jsonl'), 'changed\n');
    const puts = storage.s3.puts.length;
    for (const [args, code, message] of [
      [[damaged, `s3://${LOCKED}/new`, '--retain-days', '1'], 1, /damaged: 1 file\(s\) do not match the manifest.*only an intact folder is published/],
      [[at('demo', 'evidence'), `s3://${LOCKED}/new`, '--retain-until', '2020-01-01'], 1, /--retain-until: 2020-01-01T00:00:00.000Z is not in the future/],
      [[at('demo', 'evidence'), `s3://${LOCKED}/new`], 1, /give exactly one/],
      [[at('demo', 'evidence'), `s3://${LOCKED}`, '--retain-days', '1'], 1, /not an S3 location/],
      [[at('demo', 'evidence'), `s3://${LOCKED}/new`, '--retain-days', '1', '--mode', 'LEGAL'], 1, /--mode: "LEGAL" is not COMPLIANCE or GOVERNANCE/],
      [[at('demo', 'evidence'), `s3://${LOCKED}/new`, '--retain-days', '1', '--retain-until', '2099-01-01'], 2, /mutually exclusive/],
    ] as const) {
      const r = await cli('publish', ...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
    const anonymous = await runCli(['publish', at('demo', 'evidence'), `s3://${LOCKED}/new`, '--retain-days', '1', '--endpoint-url', storage.aws.url], awsEnv({ AWS_REGION: STORAGE_REGION }), tmp());
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^auditpack: no AWS credentials found: /);
    expect(storage.s3.puts.length).toBe(puts);
  });
});

describe('verify s3://', () => {
  test('passes for a published pack: hashes, KMS signature and every object\'s retention', async () => {
    const r = await cli('verify', `s3://${LOCKED}/packs/2026-Q4`, '--kms', 'alias/auditpack-signing', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Every file but the manifest and its signature is listed in the manifest.
    const listed = filesIn(at('demo', 'evidence')).length - 2;
    expect(r.stdout).toMatch(new RegExp(`^OK s3://agency-evidence/packs/2026-Q4/: ${listed} files match the manifest`));
    expect(r.stdout).toMatch(/files match the manifest \(auditpack\/evidence-pack\); signature verified with KMS key .*; every object under Object Lock retention/);
  });

  test('catches an object changed after publishing (a new version uploaded over it)', async () => {
    cpSync(at('demo', 'evidence'), at('tamper-src'), { recursive: true });
    const pub = await cli('publish', at('tamper-src'), `s3://${LOCKED}/packs/tampered`, '--retain-days', '1', '--quiet');
    expect(pub.code).toBe(0);
    // Object Lock protects each version, not the key: anyone allowed s3:PutObject can stack a new version on top.
    const s3 = new S3Client({ region: STORAGE_REGION, endpoint: storage.aws.url, forcePathStyle: true, credentials: CALLER_KEYS });
    try {
      writeFileSync(at('evil.jsonl'), 'not the evidence\n');
      await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'packs/tampered/config/evaluations.jsonl', Body: createReadStream(at('evil.jsonl')), ContentLength: statSync(at('evil.jsonl')).size, ChecksumAlgorithm: 'SHA256' }));
    } finally {
      s3.destroy();
    }
    // The SDK streamed that upload aws-chunked with the checksum in a trailer, and the fake checked it.
    const versions = objects(LOCKED).get('packs/tampered/config/evaluations.jsonl')!;
    expect(versions[1]).toMatchObject({ payload: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', checksumSha256: createHash('sha256').update('not the evidence\n').digest('base64'), lockMode: null });

    writeFileSync(at('kms.pub.pem'), kmsKey.publicKey!.export({ type: 'spki', format: 'pem' }));
    const r = await cli('verify', `s3://${LOCKED}/packs/tampered`, '--pubkey', at('kms.pub.pem'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^changed: config\/evaluations\.jsonl: SHA-256 /m);
    expect(r.stderr).toMatch(/^retention: s3:\/\/agency-evidence\/packs\/tampered\/config\/evaluations\.jsonl: no Object Lock retention$/m);
    expect(r.stderr).toMatch(/auditpack: s3:\/\/agency-evidence\/packs\/tampered\/: 1 object\(s\) not stored as published; 1 file\(s\) do not match the manifest/);
    expect(r.stderr).not.toContain('auditpack-verify-'); // the temporary copy is never what a message names
  });

  test('an upload that never reached its manifest is named by its S3 location', async () => {
    const s3 = new S3Client({ region: STORAGE_REGION, endpoint: storage.aws.url, forcePathStyle: true, credentials: CALLER_KEYS });
    try {
      await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'packs/cut-short/config/rules.jsonl', Body: Buffer.from('{}\n'), ChecksumAlgorithm: 'SHA256' }));
    } finally {
      s3.destroy();
    }
    const r = await cli('verify', `s3://${LOCKED}/packs/cut-short`, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^auditpack: s3:\/\/agency-evidence\/packs\/cut-short\/manifest\.json: not found/);
    expect(r.stderr).not.toContain('auditpack-verify-');
  });

  test('a prefix with nothing published is one clear line', async () => {
    const r = await cli('verify', `s3://${LOCKED}/packs/never`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('auditpack: s3://agency-evidence/packs/never/: no objects; nothing is published there');
  });
});

test('the fake S3 checks what publish relies on, as S3 does: checksums, retention dates, conditional writes', async () => {
  const s3 = new S3Client({ region: STORAGE_REGION, endpoint: storage.aws.url, forcePathStyle: true, credentials: CALLER_KEYS });
  const put = (extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) => s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'fake-check/a', Body: Buffer.from('abc'), ...extra }));
  try {
    await expect(put({ ChecksumSHA256: createHash('sha256').update('abd').digest('base64') })).rejects.toMatchObject({ name: 'BadDigest' });
    await expect(put({ ChecksumAlgorithm: 'SHA256', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() - DAY_MS) })).rejects.toMatchObject({ name: 'InvalidArgument' });
    await put({ ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' });
    await expect(put({ ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' })).rejects.toMatchObject({ name: 'PreconditionFailed' });
  } finally {
    s3.destroy();
  }
});

test('the publish IAM policy allows every call publish, verify s3:// and KMS signing made', () => {
  const operations = new Set(storage.aws.calls.map((c) => c.operation));
  expect([...operations].sort()).toEqual(Object.keys(ACTIONS).sort());
  for (const op of operations) for (const action of ACTIONS[op]) expect({ op, allowed: POLICY_ACTIONS.has(action) }).toEqual({ op, allowed: true });
  expect(existsSync(at('demo', 'evidence', 'manifest.sig.json'))).toBe(true);
});
