import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../src/errors';
import { openPack } from '../src/evidence/reader';
import { StagedDirectory } from '../src/integrity/staged-dir';
import { packRows, renderReport } from '../src/render/index';
import { displayText, PDF_DISPLAY } from '../src/render/display-text';
import { evaluation, recorder, rule, writePack } from './helpers/pack';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';
import { renderResult } from './fixtures/render-result';
import { writeRenderPack } from './fixtures/render-pack';

const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-render-output-');

describe('a full disk', () => {
  test('names the file that could not be written, in one line', async () => {
    const pack = await writeRenderPack(path.join(tmp(), 'pack'));
    for (const [format, file] of [
      ['csv', 'csv/summary.csv'],
      ['html', 'report.html'],
      ['xlsx', 'report.xlsx'],
    ] as const) {
      const dir = path.join(tmp(), `full-${format}`);
      await mkdir(path.join(dir, 'csv'), { recursive: true });
      // Every write to /dev/full fails as a full disk does (ENOSPC).
      symlinkSync('/dev/full', path.join(dir, ...file.split('/')));
      const result = renderResult(pack);
      const failure = renderReport(result, await packRows(result, pack.dir), dir, { formats: [format], marking: 'OFFICIAL' });
      await expect(failure).rejects.toThrow(AuditpackError);
      await expect(failure).rejects.toThrow(`${file}: cannot write it: no space left on device (ENOSPC)`);
    }
  });
});

describe('aborting a staged directory', () => {
  test('closes the streams writing into it first, so late writes raise no unhandled error', async () => {
    const staged = await StagedDirectory.create(path.join(tmp(), 'aborted'));
    const stream = staged.track(createWriteStream(path.join(staged.path, 'records.jsonl')));
    stream.write('one\n');
    await staged.abort();
    expect(stream.destroyed).toBe(true);
    const late = new Promise((resolve) => stream.write('two\n', resolve));
    expect(await late).toMatchObject({ code: 'ERR_STREAM_DESTROYED' });
    expect(readdirSync(tmp()).filter((n) => n.startsWith('.aborted'))).toEqual([]);
  });
});

describe('hostile text in the PDF and HTML', () => {
  test('bounds a value with a marker and shows invisible characters by code point', () => {
    expect(displayText('bucket\u202Egnp.exe', PDF_DISPLAY)).toBe('bucket<U+202E>gnp.exe');
    expect(displayText('a\u200Bb\u2066c\u0000d\tkeep\nlines', PDF_DISPLAY)).toBe('a<U+200B>b<U+2066>c<U+0000>d\tkeep\nlines');
    const long = `${'😀'.repeat(PDF_DISPLAY.maxLength!)}tail`;
    expect(displayText(long, PDF_DISPLAY)).toBe(`${'😀'.repeat(PDF_DISPLAY.maxLength!)}… [cut to 2,000 of 2,004 characters]`);
    expect(displayText('x'.repeat(2000), PDF_DISPLAY)).toBe('x'.repeat(2000));
    expect(displayText(long, { maxLength: null })).toBe(long);
  });

  test('a report of a pack with a 100,000-character resource id and a right-to-left override', async () => {
    const packDir = path.join(tmp(), 'hostile');
    const huge = `${'A'.repeat(99_990)}END-OF-IT`;
    const failing = [evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', 'bucket\u202Egnp.exe', 'NON_COMPLIANT'), evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', huge, 'NON_COMPLIANT')];
    await writePack(packDir, { recorderStatus: [recorder()], configRules: [rule('S3_BUCKET_PUBLIC_READ_PROHIBITED')], evaluations: failing });
    const out = path.join(tmp(), 'hostile-report');
    const r = await runProcess(process.execPath, [BIN, 'report', packDir, '--out', out, '--format', 'pdf,html,csv'], { cwd: tmp() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('bucket&lt;U+202E&gt;gnp.exe');
    expect(html).not.toContain('\u202E');
    const pdf = spawnSync('pdftotext', [path.join(out, 'report.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    expect(pdf).toContain('bucket<U+202E>gnp.exe');
    expect(pdf).not.toContain('\u202E');
    expect(pdf).toMatch(/… \[cut to 2,000\s+of\s+99,999\s+characters\]/);
    expect(pdf).not.toContain('END-OF-IT');
    // The CSV keeps the evidence exactly as collected.
    expect(readFileSync(path.join(out, 'csv', 'evidence.csv'), 'utf8')).toContain(`bucket\u202Egnp.exe`);
    expect(readFileSync(path.join(out, 'csv', 'evidence.csv'), 'utf8')).toContain(huge);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(true);
    await openPack(packDir);
  });
});
