import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsEnv } from './helpers/collect-cli';
import { useTempDir } from './helpers/tmp';

/**
 * collect's input errors: each is one line naming the problem (and for attestation files the
 * file and line), exits 1, and happens before any AWS call, so nothing is written.
 */
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-collect-inputs-');
const STATIC_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAFAKECALLERKEY001', AWS_SECRET_ACCESS_KEY: 'fake/secret/key/for/tests', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

function collect(args: string[], env = awsEnv(STATIC_KEYS)) {
  const r = spawnSync(process.execPath, [BIN, 'collect', ...args], { encoding: 'utf8', cwd: tmp(), env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectNothingWritten(out: string): void {
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(path.dirname(out)).filter((n) => n.includes('.partial-'))).toEqual([]);
}

const ATTESTATION = [
  'kind: attestation', // 1
  'id: ATT-1', // 2
  'controlIds:', // 3
  '  - ism-0252', // 4
  '  - ism-1565', // 5
  'statement: Training is recorded in the register.', // 6
  'attester: Sam Taylor', // 7
  'attestedOn: 2026-08-29', // 8
  'validUntil: 2027-08-31', // 9
  'attachments:', // 10
  '  - path: register.csv', // 11
];

describe('attestation files with a bad field name the file and line', () => {
  const cases: [string, (lines: string[]) => string[], number, RegExp][] = [
    ['an unknown field', (l) => l.map((x) => x.replace('attester:', 'attestor:')), 7, /Unrecognized key: "attestor"/],
    ['a date that does not exist', (l) => l.map((x) => x.replace('2027-08-31', '2027-02-30')), 9, /validUntil: /],
    ['a control id the ISM does not have', (l) => l.map((x) => x.replace('ism-1565', 'ism-9999')), 5, /controlIds\.1: ism-9999 is not a control or principle of the ISM catalog/],
    ['a malformed control id', (l) => l.map((x) => x.replace('ism-1565', 'ISM 1565')), 5, /controlIds\.1: must be an ISM id/],
    ['an attachment that is not there', (l) => l.map((x) => x.replace('register.csv', 'missing.csv')), 11, /attachments\.0\.path: missing\.csv: no such file/],
    ['an attachment outside the folder', (l) => l.map((x) => x.replace('register.csv', '../register.csv')), 11, /must be a path inside/],
    ['an expiry before the attestation', (l) => l.map((x) => x.replace('2027-08-31', '2026-01-01')), 9, /validUntil: 2026-01-01 is before 2026-08-29/],
    ['an unknown kind', (l) => l.map((x) => x.replace('kind: attestation', 'kind: waiver')), 1, /kind: /],
    ['a missing field', (l) => l.filter((x) => !x.startsWith('statement:')), 1, /statement: /],
    ['an attachment whose content is not the hash recorded', (l) => [...l, `    sha256: ${'a'.repeat(64)}`], 12, /attachments\.0\.sha256: register\.csv has SHA-256 [0-9a-f]{64}, not the a{64} recorded: the file changed since it was attested/],
    ['a malformed attachment hash', (l) => [...l, '    sha256: ABC'], 12, /attachments\.0\.sha256: must be a SHA-256 in lowercase hex/],
    ['an implementation an attestation cannot state', (l) => l.map((x) => x.replace('attester:', 'implementation: Not implemented\nattester:')), 7, /implementation: /],
  ];

  it.each(cases)('%s', (name, edit, line, message) => {
    const dir = path.join(tmp(), name.replace(/\W+/g, '-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'register.csv'), 'name,completed\n');
    writeFileSync(path.join(tmp(), 'register.csv'), 'outside\n');
    const file = path.join(dir, 'att-1.yaml');
    writeFileSync(file, `${edit(ATTESTATION).join('\n')}\n`);
    const out = path.join(tmp(), `${path.basename(dir)}-pack`);
    const r = collect(['--out', out, '--attestations', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^auditpack: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}: `));
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectNothingWritten(out);
  });

  it('aliases that expand without bound (a "billion laughs" file): one line naming the file', () => {
    const dir = path.join(tmp(), 'alias-bomb');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'att-1.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)];
    writeFileSync(file, `${levels.join('\n')}\n`);
    const out = path.join(tmp(), 'alias-bomb-pack');
    const r = collect(['--out', out, '--attestations', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`auditpack: ${file}: its aliases (*name) expand to too many values; write the values out instead`]);
    expectNothingWritten(out);
  });

  it('the same id in two files', () => {
    const dir = path.join(tmp(), 'duplicate');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'register.csv'), 'name,completed\n');
    writeFileSync(path.join(dir, 'a.yaml'), `${ATTESTATION.join('\n')}\n`);
    writeFileSync(path.join(dir, 'b.yaml'), `${ATTESTATION.join('\n')}\n`);
    const r = collect(['--out', path.join(tmp(), 'duplicate-pack'), '--attestations', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/b\.yaml:2: id: ATT-1 is already used by .*a\.yaml/);
  });
});

describe('attestation folders that reach outside themselves are refused before any AWS call', () => {
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  /** A folder with the attestation (attaching `attachment`) and a secret beside it, outside. */
  function folder(name: string, attachment: string): { dir: string; secret: string } {
    const dir = path.join(tmp(), 'links', name);
    mkdirSync(dir, { recursive: true });
    const secret = path.join(tmp(), 'links', `${name}-credentials`);
    writeFileSync(secret, '[default]\naws_secret_access_key = not-for-the-auditors\n');
    writeFileSync(path.join(dir, 'att-1.yaml'), `${ATTESTATION.map((l) => l.replace('register.csv', attachment)).join('\n')}\n`);
    return { dir, secret };
  }
  function expectRefused(dir: string, pattern: RegExp): void {
    const out = path.join(tmp(), 'links', `${path.basename(dir)}-pack`);
    const r = collect(['--out', out, '--attestations', dir]);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
    expect(r.code).toBe(1);
    expectNothingWritten(out);
  }

  it('an attachment that is a symbolic link to a file outside', () => {
    const { dir, secret } = folder('linked-file', 'evidence/register.csv');
    mkdirSync(path.join(dir, 'evidence'));
    symlinkSync(secret, path.join(dir, 'evidence', 'register.csv'));
    expectRefused(dir, new RegExp(`^auditpack: ${escapeRe(path.join(dir, 'att-1.yaml'))}:11: attachments\\.0\\.path: evidence/register\\.csv must be a path inside .*leads to ${escapeRe(secret)}`));
  });

  it('an attachment in a linked directory outside', () => {
    const { dir } = folder('linked-dir', 'evidence/etc/hostname');
    mkdirSync(path.join(dir, 'evidence'));
    symlinkSync('/etc', path.join(dir, 'evidence', 'etc'));
    expectRefused(dir, /att-1\.yaml:11: attachments\.0\.path: evidence\/etc\/hostname must be a path inside .*leads to \/etc\/hostname/);
  });

  it('an attestation file that is a symbolic link to a file outside (not skipped silently)', () => {
    const dir = path.join(tmp(), 'links', 'linked-yaml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'register.csv'), 'name,completed\n');
    const outside = path.join(tmp(), 'links', 'outside.yaml');
    writeFileSync(outside, `${ATTESTATION.join('\n')}\n`);
    symlinkSync(outside, path.join(dir, 'att-1.yaml'));
    expectRefused(dir, new RegExp(`^auditpack: ${escapeRe(path.join(dir, 'att-1.yaml'))}: leads to ${escapeRe(outside)}, outside ${escapeRe(dir)}$`));
  });

  it('an attachment too large to be meant, with the file and line, not after all of AWS was read', () => {
    const { dir } = folder('too-large', 'disk.img');
    // Sparse: three gigabytes that take no room.
    writeFileSync(path.join(dir, 'disk.img'), '');
    truncateSync(path.join(dir, 'disk.img'), 3 * 1024 ** 3);
    expectRefused(dir, /att-1\.yaml:11: attachments\.0\.path: disk\.img is 3072 MiB, larger than the 1024 MiB an attachment may be$/);
  });
});

describe('credentials and options', () => {
  it('no credentials: one clear line, exit 1, nothing written', () => {
    const out = path.join(tmp(), 'no-credentials');
    const r = collect(['--out', out], awsEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^auditpack: no AWS credentials found: .*--profile/)]);
    expectNothingWritten(out);
  });

  it('an existing directory is never overwritten', () => {
    const out = path.join(tmp(), 'existing');
    mkdirSync(out);
    const r = collect(['--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    [['--concurrency', '0'], /--concurrency: 0 is not a whole number from 1 to 50/],
    [['--max-attempts', '2.5'], /--max-attempts: 2.5 is not a whole number/],
    [['--request-timeout', '0'], /--request-timeout: 0 is not a whole number from 1 to 3600/],
    [['--aggregator', 'org', '--aggregator-region', 'ap-southeast-2', '--role-arn', 'arn:aws:iam::111122223333:role/a', '--role-arn', 'arn:aws:iam::111122223333:role/b'], /at most one role/],
    [['--role-arn', 'arn:aws:iam::1234:role/x'], /is not an IAM role ARN/],
  ])('rejects %j', (args, message) => {
    const r = collect(['--out', path.join(tmp(), 'options'), ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
