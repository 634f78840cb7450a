import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { readJsonLines, MAX_LINE_BYTES } from '../src/evidence/jsonl';
import { openPack, readPackManifest, verifyPack } from '../src/evidence/reader';
import { Evaluation } from '../src/evidence/records';
import { PackWriter } from '../src/evidence/writer';
import { digestBytes, digestFile } from '../src/integrity/files';
import { verifyFolder } from '../src/integrity/verify';
import { findDuplicateKey } from '../src/util/json';
import { description, evaluation, rule, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

/**
 * What a hostile or damaged folder can do to `verify` and `report` (issue 16, items 4, 7, 14
 * and 15): each test is one attack that used to pass.
 */
const tmp = useTempDir();
let n = 0;
const fresh = (name: string) => path.join(tmp(), `${name}-${++n}`);

async function readAll<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const problems = async (dir: string) => (await verifyFolder(dir)).map((p) => [p.path, p.problem]);

/** A pack with one failing evaluation and one rule. */
async function pack(name: string): Promise<string> {
  const dir = fresh(name);
  await writePack(dir, { configRules: [rule('X')], evaluations: [evaluation('X', 'bucket-a', 'NON_COMPLIANT')] });
  return dir;
}

/** Edits the manifest's entry for one file (after the file itself was changed on purpose). */
function editEntry(dir: string, rel: string, change: Record<string, unknown>): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(manifest.files.find((f: { path: string }) => f.path === rel), change);
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

/** Replaces a file's content and re-hashes it, so only the content itself can be at fault. */
async function rewrite(dir: string, rel: string, content: string | Buffer, records?: number): Promise<string> {
  const file = path.join(dir, rel);
  writeFileSync(file, content);
  editEntry(dir, rel, { ...(await digestFile(file)), ...(records === undefined ? {} : { records }) });
  return file;
}

describe('verify and report read only plain files inside the pack (item 4)', () => {
  it('refuses a listed file that is a symbolic link out of the pack, even with the right bytes', async () => {
    const dir = await pack('link');
    const outside = path.join(tmp(), `outside-rules-${n}.jsonl`);
    renameSync(path.join(dir, 'config/rules.jsonl'), outside);
    symlinkSync(outside, path.join(dir, 'config/rules.jsonl'));
    expect(await problems(dir)).toEqual([['config/rules.jsonl', 'unsafe']]);
    await expect(openPack(dir)).rejects.toThrow(/config\/rules\.jsonl \(unsafe: is a symbolic link/);
  });

  it('refuses a linked directory', async () => {
    const dir = await pack('linkdir');
    const outside = path.join(tmp(), `outside-config-${n}`);
    renameSync(path.join(dir, 'config'), outside);
    symlinkSync(outside, path.join(dir, 'config'));
    const found = await verifyFolder(dir);
    expect(found.filter((p) => p.problem === 'unsafe').map((p) => p.path)).toContain('config/evaluations.jsonl');
    expect(found.find((p) => p.path === 'config/evaluations.jsonl')?.detail).toMatch(/^config is a symbolic link/);
  });

  it('refuses a FIFO and /dev/zero listed in the manifest instead of hanging on them', async () => {
    const dir = await pack('fifo');
    unlinkSync(path.join(dir, 'config/evaluations.jsonl'));
    execFileSync('mkfifo', [path.join(dir, 'config/evaluations.jsonl')]);
    unlinkSync(path.join(dir, 'config/rules.jsonl'));
    symlinkSync('/dev/zero', path.join(dir, 'config/rules.jsonl'));
    const found = await verifyFolder(dir);
    expect(found.map((p) => [p.path, p.problem])).toEqual([
      ['config/evaluations.jsonl', 'unsafe'],
      ['config/rules.jsonl', 'unsafe'],
    ]);
    expect(found[0].detail).toMatch(/not a regular file \(a FIFO\)/);
  }, 20_000);

  it('reads no further than one byte past the size the manifest gives', async () => {
    const dir = await pack('grown');
    appendFileSync(path.join(dir, 'config/rules.jsonl'), Buffer.alloc(4 * 1024 * 1024, 0x20));
    const found = await verifyFolder(dir);
    expect(found.map((p) => [p.path, p.problem, p.detail])).toEqual([['config/rules.jsonl', 'changed', expect.stringMatching(/^larger than the \d+ bytes the manifest gives$/)]]);
  });

  it('parses the bytes it hashes: a file altered after the pack was opened fails when read', async () => {
    const dir = await pack('swapped');
    const opened = await openPack(dir);
    const file = path.join(dir, 'config/evaluations.jsonl');
    // Same length, so a reader that trusted the earlier check would see a pass.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"NON_COMPLIANT"', '"COMPLIANT"    '));
    await expect(readAll(opened.records('evaluations'))).rejects.toThrow(/evaluations\.jsonl: SHA-256 [0-9a-f]{64} \(\d+ bytes\), manifest says/);
  });

  it('refuses a manifest that is a FIFO', async () => {
    const dir = await pack('fifo-manifest');
    unlinkSync(path.join(dir, 'manifest.json'));
    execFileSync('mkfifo', [path.join(dir, 'manifest.json')]);
    await expect(readPackManifest(dir)).rejects.toThrow(/manifest\.json: is not a regular file \(a FIFO\)/);
  }, 20_000);
});

describe('attachment references (item 7)', () => {
  async function attested(name: string): Promise<{ dir: string; sha256: string }> {
    const dir = fresh(name);
    const writer = await PackWriter.create(dir);
    const ref = await writer.attach('register.csv', Buffer.from('asset,owner\nlaptop,it\n'), 'text/csv');
    await writer.write('attestations', {
      id: 'ATT-7',
      controlIds: ['ism-0252'],
      statement: 'Staff completed awareness training.',
      attester: 'CISO',
      attestedOn: '2026-10-01',
      validUntil: '2027-10-01',
      attachments: [ref],
    });
    await writer.commit(description());
    return { dir, sha256: ref.sha256 };
  }

  it('an attestation whose attachment is missing from the pack fails verify and report, naming both', async () => {
    const { dir, sha256 } = await attested('dangling');
    rmSync(path.join(dir, 'attachments'), { recursive: true });
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files = manifest.files.filter((f: { path: string }) => !f.path.startsWith('attachments/'));
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(await verifyPack(dir)).toEqual([
      { path: 'manual/attestations.jsonl', problem: 'dangling', detail: `attestation "ATT-7" cites attachment "register.csv" (attachments/${sha256}), which is not in the pack` },
    ]);
    await expect(openPack(dir)).rejects.toThrow(/attestation "ATT-7" cites attachment "register\.csv"/);
  });

  it('an attachment whose content does not match its hash name fails verify', async () => {
    const { dir, sha256 } = await attested('misnamed');
    const other = Buffer.from('asset,owner\nlaptop,nobody\n');
    await rewrite(dir, `attachments/${sha256}`, other);
    expect(await verifyPack(dir)).toEqual([
      { path: `attachments/${sha256}`, problem: 'misnamed', detail: expect.stringContaining(digestBytes(other).sha256) },
    ]);
    await expect(openPack(dir)).rejects.toThrow(/misnamed/);
  });

  it('an intact pack with attachments verifies', async () => {
    const { dir } = await attested('intact');
    expect(await verifyPack(dir)).toEqual([]);
  });
});

describe('manifest counts and paths (item 14)', () => {
  it('a record count that does not match the file is refused', async () => {
    const dir = await pack('count');
    editEntry(dir, 'config/evaluations.jsonl', { records: 9007199254740991 });
    expect((await verifyFolder(dir)).map((p) => [p.path, p.problem, p.detail])).toEqual([['config/evaluations.jsonl', 'miscounted', 'holds 1 records, manifest says 9007199254740991']]);
    await expect(openPack(dir)).rejects.toThrow(/miscounted/);
  });

  it('counts CSV data rows, not line breaks inside quoted fields', async () => {
    const dir = fresh('csv');
    mkdirSync(dir);
    const csv = 'id,note\r\n1,"two\r\nlines"\r\n2,plain\r\n';
    writeFileSync(path.join(dir, 't.csv'), csv);
    const entry = { path: 't.csv', ...digestBytes(csv), records: 2 };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ format: 'auditpack/report', files: [entry] }));
    expect(await verifyFolder(dir)).toEqual([]);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ format: 'auditpack/report', files: [{ ...entry, records: 3 }] }));
    expect(await problems(dir)).toEqual([['t.csv', 'miscounted']]);
  });

  it.each([['config/./rules.jsonl'], ['config//rules.jsonl'], ['/etc/passwd'], ['config/../config/rules.jsonl'], ['config\\rules.jsonl']])('a non-canonical path %s is refused', async (bad) => {
    const dir = await pack('canonical');
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files.push({ ...manifest.files.find((f: { path: string }) => f.path === 'config/rules.jsonl'), path: bad });
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await expect(verifyFolder(dir)).rejects.toThrow(/path: must be a canonical relative path/);
    await expect(openPack(dir)).rejects.toThrow(/path: must be a canonical relative path/);
  });

  it('a path listed twice is refused', async () => {
    const dir = await pack('twice');
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files.push(manifest.files.find((f: { path: string }) => f.path === 'config/rules.jsonl'));
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await expect(verifyFolder(dir)).rejects.toThrow(/"config\/rules\.jsonl" is listed more than once/);
  });
});

describe('strict JSON Lines (item 15)', () => {
  const line = (e: object) => `${JSON.stringify(e)}\n`;

  it('a duplicate key cannot flip a result: file:line names it', async () => {
    const dir = await pack('duplicate');
    const failing = line(evaluation('X', 'bucket-a', 'NON_COMPLIANT')).replace('}\n', ',"complianceType":"COMPLIANT"}\n');
    const file = await rewrite(dir, 'config/evaluations.jsonl', failing);
    const opened = await openPack(dir);
    await expect(readAll(opened.records('evaluations'))).rejects.toThrow(`${file}:1: duplicate key "complianceType"`);
  });

  it('a duplicate key spelled with an escape is still a duplicate', async () => {
    const text = '{"complianceType":"NON_COMPLIANT","\\u0063omplianceType":"COMPLIANT"}';
    expect(findDuplicateKey(text)).toEqual({ key: 'complianceType', offset: 34 });
  });

  it('the same key in different objects is not a duplicate', () => {
    expect(findDuplicateKey('{"a":{"a":1,"b":"}{,\\"a"},"b":[{"a":1},{"a":2},"a"],"c":{}}')).toBeNull();
    expect(findDuplicateKey('{"a":{},"a":1}')).toEqual({ key: 'a', offset: 8 });
  });

  it('finds no duplicate in any serialised value, and finds one added to any object', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => findDuplicateKey(JSON.stringify(v)) === null));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (o) => {
        const text = JSON.stringify({ nested: [o] });
        const first = Object.keys(o)[0];
        const withDuplicate = `${text.slice(0, -3)},${JSON.stringify(first)}:null}]}`;
        return findDuplicateKey(withDuplicate)?.key === first;
      }),
    );
  });

  it('the writer refuses a record longer than the reader reads', async () => {
    const writer = await PackWriter.create(fresh('long'));
    const record = { ...evaluation('X', 'a', 'NON_COMPLIANT'), annotation: 'x'.repeat(MAX_LINE_BYTES) };
    await expect(writer.write('evaluations', record)).rejects.toThrow(`longer than ${MAX_LINE_BYTES} bytes as JSON`);
    await writer.abort();
  });

  it('invalid UTF-8 is an error, not U+FFFD', async () => {
    const dir = await pack('utf8');
    const good = Buffer.from(line(rule('X')));
    const bad = Buffer.from(good);
    bad[bad.indexOf('"ACTIVE"') + 1] = 0xff;
    const file = await rewrite(dir, 'config/rules.jsonl', Buffer.concat([good, bad]), 2);
    const opened = await openPack(dir);
    await expect(readAll(opened.records('configRules'))).rejects.toThrow(`${file}:2: not valid UTF-8`);
  });

  it('a line longer than the bound stops with a clear error, without reading it whole', async () => {
    const long = `{"annotation":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`;
    const chunks = (function* () {
      yield Buffer.from(line(evaluation('X', 'a', 'COMPLIANT')));
      for (let i = 0; i < long.length; i += 65536) yield Buffer.from(long.slice(i, i + 65536));
    })();
    await expect(readAll(readJsonLines(Readable.from(chunks), 'big.jsonl', Evaluation))).rejects.toThrow(`big.jsonl:2: line longer than ${MAX_LINE_BYTES} bytes`);
  });

  it('still reads lines split across chunks and a last line without a line end', async () => {
    const text = line(evaluation('X', 'a', 'COMPLIANT')) + JSON.stringify(evaluation('X', 'b', 'COMPLIANT'));
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    expect((await readAll(readJsonLines(Readable.from(chunks), 'split.jsonl', Evaluation))).map((e) => e.resourceId)).toEqual(['a', 'b']);
  });

  it('a manifest with a duplicate key names its line', async () => {
    const dir = await pack('manifest-duplicate');
    const manifestPath = path.join(dir, 'manifest.json');
    const text = readFileSync(manifestPath, 'utf8');
    const second = text.split('\n').findIndex((l) => l.includes('"sample"')) + 2;
    writeFileSync(manifestPath, text.replace('"sample": false,', '"sample": false,\n  "sample": true,'));
    await expect(readPackManifest(dir)).rejects.toThrow(`manifest.json:${second}: duplicate key "sample"`);
  });

  it('reads a copy of a real pack unchanged', async () => {
    const dir = await pack('copy');
    const copy = fresh('copied');
    cpSync(dir, copy, { recursive: true });
    expect((await readAll((await openPack(copy)).records('evaluations'))).map((e) => e.complianceType)).toEqual(['NON_COMPLIANT']);
    expect(await verifyPack(copy)).toEqual([]);
  });
});

describe('through the CLI (`npm test` builds dist/ first)', () => {
  const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('verify names a FIFO and a link out of the pack and exits 1 instead of hanging', async () => {
    const dir = await pack('cli-verify');
    unlinkSync(path.join(dir, 'config/evaluations.jsonl'));
    execFileSync('mkfifo', [path.join(dir, 'config/evaluations.jsonl')]);
    const outside = path.join(tmp(), `cli-outside-${n}.jsonl`);
    renameSync(path.join(dir, 'config/rules.jsonl'), outside);
    symlinkSync(outside, path.join(dir, 'config/rules.jsonl'));
    const r = run('verify', dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'unsafe: config/evaluations.jsonl: is not a regular file (a FIFO); a pack or report folder holds only plain files',
      'unsafe: config/rules.jsonl: is a symbolic link; a pack or report folder holds only plain files',
      `auditpack: ${dir}: 2 file(s) do not match the manifest`,
    ]);
  }, 120_000);

  it('report refuses a pack whose attestation cites a missing attachment: one line naming it, nothing written', async () => {
    const dir = fresh('cli-dangling');
    const writer = await PackWriter.create(dir);
    const ref = await writer.attach('register.csv', Buffer.from('asset,owner\n'), 'text/csv');
    await writer.write('attestations', { id: 'ATT-9', controlIds: ['ism-0252'], statement: 's', attester: 'a', attestedOn: '2026-10-01', validUntil: '2027-10-01', attachments: [ref] });
    await writer.commit(description());
    rmSync(path.join(dir, 'attachments'), { recursive: true });
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files = manifest.files.filter((f: { path: string }) => !f.path.startsWith('attachments/'));
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const out = path.join(tmp(), 'cli-dangling-report');
    const r = run('report', dir, '--out', out, '--format', 'csv');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/manual\/attestations\.jsonl \(dangling: attestation "ATT-9" cites attachment "register\.csv"/);
    expect(existsSync(out)).toBe(false);
    expect(run('verify', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('dangling: manual/attestations.jsonl: attestation "ATT-9"') });
  }, 120_000);
});
