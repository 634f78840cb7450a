import { appendFileSync, createReadStream, existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJsonLines } from '../src/evidence/jsonl';
import { openPack } from '../src/evidence/reader';
import { Evaluation } from '../src/evidence/records';
import { PackWriter } from '../src/evidence/writer';
import { digestFile } from '../src/integrity/files';
import { verifyFolder } from '../src/integrity/verify';
import { description, evaluation, recorder, rule, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();

async function readAll<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('evidence pack writer and reader', () => {
  it('round-trips records, hashes every file and counts records', async () => {
    const dir = path.join(tmp(), 'roundtrip');
    const manifest = await writePack(dir, {
      recorderStatus: [recorder()],
      configRules: [rule('S3_BUCKET_PUBLIC_READ_PROHIBITED')],
      evaluations: [evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', 'a', 'COMPLIANT'), evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', 'b', 'NON_COMPLIANT')],
    });
    expect(manifest.files.find((f) => f.path === 'config/evaluations.jsonl')).toMatchObject({ records: 2 });
    expect(manifest.files.find((f) => f.path === 'manual/exceptions.jsonl')).toMatchObject({ records: 0, bytes: 0 });
    const pack = await openPack(dir);
    expect((await readAll(pack.records('evaluations'))).map((e) => e.resourceId)).toEqual(['a', 'b']);
    expect(pack.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyFolder(dir)).toEqual([]);
  });

  it('stores an attachment once under its SHA-256, whatever it is named', async () => {
    const dir = path.join(tmp(), 'attach');
    const writer = await PackWriter.create(dir);
    const a = await writer.attach('one.txt', Buffer.from('same'), 'text/plain');
    const b = await writer.attach('two.txt', Buffer.from('same'), 'text/plain');
    const manifest = await writer.commit(description());
    expect(a.sha256).toBe(b.sha256);
    expect(readdirSync(path.join(dir, 'attachments'))).toEqual([a.sha256]);
    expect(manifest.files.filter((f) => f.path.startsWith('attachments/'))).toHaveLength(1);
  });

  it('rejects an invalid record on write and leaves no directory behind', async () => {
    const dir = path.join(tmp(), 'invalid');
    const writer = await PackWriter.create(dir);
    await expect(writer.write('evaluations', { ...evaluation('X', 'a', 'COMPLIANT'), accountId: '12' })).rejects.toThrow(/accountId: must be a 12-digit AWS account id/);
    await writer.abort();
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(tmp()).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('a full disk fails the write and the commit in one line naming the file, and leaves nothing behind', async () => {
    const dir = path.join(tmp(), 'disk-full');
    const writer = await PackWriter.create(dir);
    // What the stream of a file on a full disk does: it fails, and says nothing of its path.
    const streams = (writer as unknown as { streams: Map<string, { out: NodeJS.WritableStream & { destroy(e: Error): void } }> }).streams;
    streams.get('evaluations')!.out.destroy(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    await new Promise((resolve) => setImmediate(resolve));
    const line = 'config/evaluations.jsonl: cannot write it: no space left on device (ENOSPC)';
    await expect(writer.write('evaluations', evaluation('X', 'a', 'COMPLIANT'))).rejects.toThrow(line);
    // The commit must not wait for a stream that will never finish.
    await expect(writer.commit(description())).rejects.toThrow(line);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(tmp()).filter((n) => n.includes('disk-full'))).toEqual([]);
  });

  it('refuses to overwrite an existing directory unless allowed', async () => {
    const dir = path.join(tmp(), 'exists');
    await writePack(dir, {});
    await expect(PackWriter.create(dir)).rejects.toThrow(/already exists/);
  });

  it('names the file and line of a corrupt JSON line', async () => {
    const dir = path.join(tmp(), 'corrupt');
    await writePack(dir, { evaluations: [evaluation('X', 'a', 'COMPLIANT')] });
    const file = path.join(dir, 'config/evaluations.jsonl');
    appendFileSync(file, '{"accountId": \n');
    // Re-hash so that only the JSON, not the manifest, is at fault.
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    Object.assign(manifest.files.find((f: { path: string }) => f.path === 'config/evaluations.jsonl'), await digestFile(file), { records: 2 });
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const pack = await openPack(dir);
    await expect(readAll(pack.records('evaluations'))).rejects.toThrow(`${file}:2: not valid JSON`);
  });

  it('names the file, line and field of a record that breaks the schema', async () => {
    const dir = path.join(tmp(), 'schema');
    await writePack(dir, {});
    const file = path.join(dir, 'config/evaluations.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...evaluation('X', 'a', 'COMPLIANT'), complianceType: 'GREEN' })}\n`);
    await expect(readAll(readJsonLines(createReadStream(file), file, Evaluation))).rejects.toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}:1: complianceType: `));
  });

  it('refuses to read a pack whose files no longer match the manifest', async () => {
    const dir = path.join(tmp(), 'tampered');
    await writePack(dir, { evaluations: [evaluation('X', 'a', 'NON_COMPLIANT')] });
    const file = path.join(dir, 'config/evaluations.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('NON_COMPLIANT', 'COMPLIANT    '));
    await expect(openPack(dir)).rejects.toThrow(/config\/evaluations\.jsonl \(changed\)/);
  });

  it('says clearly when a directory is not a pack', async () => {
    await expect(openPack(path.join(tmp(), 'nowhere'))).rejects.toThrow(/not an evidence pack \(no manifest\.json\)/);
  });
});

describe('verifyFolder', () => {
  it('reports each changed, missing and extra file', async () => {
    const dir = path.join(tmp(), 'verify');
    await writePack(dir, { evaluations: [evaluation('X', 'a', 'COMPLIANT')], configRules: [rule('X')] });
    const evaluations = path.join(dir, 'config/evaluations.jsonl');
    const bytes = readFileSync(evaluations);
    bytes[5] ^= 1;
    writeFileSync(evaluations, bytes);
    unlinkSync(path.join(dir, 'config/rules.jsonl'));
    writeFileSync(path.join(dir, 'notes.txt'), 'added later');
    expect((await verifyFolder(dir)).map((p) => [p.path, p.problem])).toEqual([
      ['config/evaluations.jsonl', 'changed'],
      ['config/rules.jsonl', 'missing'],
      ['notes.txt', 'extra'],
    ]);
  });
});
