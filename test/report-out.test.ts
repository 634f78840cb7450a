import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess, type ProcessResult } from './helpers/process';
import { useTempDir } from './helpers/tmp';

/**
 * What `report --out` and `demo --out` refuse to write over, and how a folder left behind by a
 * crashed or concurrent run is handled, end to end through the compiled CLI.
 */
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-report-out-');

const run = (...args: string[]): Promise<ProcessResult> => runProcess(process.execPath, [BIN, ...args], { cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });

const expectOneLine = (r: ProcessResult, pattern: RegExp) => {
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
};

const hidden = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

const pack = () => path.join(tmp(), 'base', 'evidence');
const earlier = () => path.join(tmp(), 'base', 'report');

beforeAll(async () => {
  expect(await run('demo', '--out', path.join(tmp(), 'base'), '--format', 'csv')).toMatchObject({ code: 0 });
});

describe('an --out that overlaps an input is refused', () => {
  test('inside the pack: refused, and the pack still verifies', async () => {
    expectOneLine(await run('report', pack(), '--out', path.join(pack(), 'report'), '--format', 'csv'), /--out .*evidence\/report: is inside the evidence pack .*; choose a folder outside it$/);
    expect(existsSync(path.join(pack(), 'report'))).toBe(false);
    expect(await run('verify', pack())).toMatchObject({ code: 0 });
  });

  test('inside the pack through a symbolic link', async () => {
    const link = path.join(tmp(), 'link-to-pack');
    symlinkSync(pack(), link);
    expectOneLine(await run('report', pack(), '--out', path.join(link, 'config', 'r'), '--format', 'csv'), /is inside the evidence pack/);
    expect(await run('verify', pack())).toMatchObject({ code: 0 });
  });

  test('a folder holding the pack, or the --compare report itself', async () => {
    expectOneLine(await run('report', pack(), '--out', path.join(tmp(), 'base'), '--format', 'csv'), /--out .*base: holds the evidence pack .*, which replacing the folder would delete/);
    expectOneLine(await run('report', pack(), '--out', earlier(), '--format', 'csv', '--compare', earlier()), /--out .*report: is the --compare report itself/);
    expect(await run('verify', earlier())).toMatchObject({ code: 0 });
  });
});

describe('replacing a report folder', () => {
  const copy = (name: string) => {
    const dir = path.join(tmp(), name);
    cpSync(earlier(), dir, { recursive: true });
    return dir;
  };

  test('an intact earlier report is replaced', async () => {
    const dir = copy('intact');
    expect(await run('report', pack(), '--out', dir, '--format', 'csv,html')).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
  });

  test('a report folder with files of the user is kept, and the files are named', async () => {
    const dir = copy('signed');
    writeFileSync(path.join(dir, 'sign-off.txt'), 'approved by the assessor');
    mkdirSync(path.join(dir, 'notes'));
    writeFileSync(path.join(dir, 'notes', 'a.md'), 'a');
    expectOneLine(await run('report', pack(), '--out', dir, '--format', 'csv'), /signed: holds files that are not part of the earlier report \(notes\/a\.md, sign-off\.txt\); move them out/);
    expect(readFileSync(path.join(dir, 'sign-off.txt'), 'utf8')).toBe('approved by the assessor');
    expect(hidden(tmp())).toEqual([]);
  });

  test('a folder whose manifest merely claims to be a report is kept', async () => {
    const dir = path.join(tmp(), 'claims');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ format: 'auditpack/report', files: [] }));
    writeFileSync(path.join(dir, 'thesis.docx'), 'years of work');
    expectOneLine(await run('report', pack(), '--out', dir, '--format', 'csv'), /claims: holds files that are not part of the earlier report \(thesis\.docx\)/);
    expect(existsSync(path.join(dir, 'thesis.docx'))).toBe(true);
  });

  test('a report that no longer matches its manifest is kept', async () => {
    const dir = copy('edited');
    const file = path.join(dir, 'csv', 'controls.csv');
    writeFileSync(file, `${readFileSync(file, 'utf8')}edited by hand\r\n`);
    expectOneLine(await run('report', pack(), '--out', dir, '--format', 'csv'), /edited: the earlier report there no longer matches its manifest \(changed: csv\/controls\.csv\); it is kept/);
    expect(readFileSync(file, 'utf8')).toMatch(/edited by hand/);
  });

  test('demo leaves no evidence behind when it refuses the report folder', async () => {
    const out = path.join(tmp(), 'demo-refused');
    mkdirSync(path.join(out, 'report'), { recursive: true });
    writeFileSync(path.join(out, 'report', 'mine.txt'), 'mine');
    expectOneLine(await run('demo', '--out', out, '--format', 'csv'), /report: already exists and is not an auditpack report folder/);
    expect(readdirSync(out)).toEqual(['report']);
  });
});

describe('one writer per output folder', () => {
  test('a render refuses a folder another live run is writing, in one line', async () => {
    const out = path.join(tmp(), 'locked');
    // This test's own process stands in for the other run.
    writeFileSync(path.join(tmp(), '.locked.lock'), `${process.pid}\n`);
    try {
      expectOneLine(await run('report', pack(), '--out', out, '--format', 'csv'), new RegExp(`locked: another auditpack run \\(process ${process.pid}\\) is writing it`));
      expect(existsSync(out)).toBe(false);
    } finally {
      unlinkSync(path.join(tmp(), '.locked.lock'));
    }
  });

  test('concurrent renders to one folder: each succeeds or fails in one line, and nothing is left over', async () => {
    const parent = path.join(tmp(), 'race');
    mkdirSync(parent);
    const out = path.join(parent, 'r');
    const results = await Promise.all(Array.from({ length: 6 }, () => run('report', pack(), '--out', out, '--format', 'csv')));
    for (const r of results) {
      if (r.code === 0) continue;
      expectOneLine(r, /r: another auditpack run \(process \d+\) is writing it/);
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    expect(readdirSync(parent)).toEqual(['r']);
    expect(await run('verify', out)).toMatchObject({ code: 0 });
  });

  test('a lock and staged folders left by a crashed run are named, removed and taken over', async () => {
    const parent = path.join(tmp(), 'crashed');
    mkdirSync(parent);
    // No process has this id: Linux's ids stop well below it.
    writeFileSync(path.join(parent, '.r.lock'), '2147483646\n');
    mkdirSync(path.join(parent, '.r.partial-0a1b2c3d', 'config'), { recursive: true });
    writeFileSync(path.join(parent, '.r.partial-0a1b2c3d', 'config', 'evaluations.jsonl'), '{}\n');
    mkdirSync(path.join(parent, '.r.partial-0a1b2c3d.old'));
    const r = await run('report', pack(), '--out', path.join(parent, 'r'), '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `auditpack: removing ${path.join(parent, '.r.partial-0a1b2c3d')}, left behind by an earlier run that did not finish`,
      `auditpack: removing ${path.join(parent, '.r.partial-0a1b2c3d.old')}, left behind by an earlier run that did not finish`,
    ]);
    expect(readdirSync(parent)).toEqual(['r']);
  });
});

describe('Ctrl-C during the PDF step', () => {
  test('removes the browser profile from the temporary directory', async () => {
    const temp = path.join(tmp(), 'tmpdir');
    mkdirSync(temp);
    const out = path.join(tmp(), 'pdf-interrupted');
    const child = spawn(process.execPath, [BIN, 'report', pack(), '--out', out, '--format', 'pdf'], { env: { ...process.env, TMPDIR: temp }, stdio: 'ignore' });
    let ended = false;
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal))).finally(() => (ended = true));
    // Interrupt once Chromium has started writing its profile.
    const profileStarted = () => readdirSync(temp).some((n) => n.startsWith('auditpack-chromium-') && readdirSync(path.join(temp, n)).length > 0);
    while (!ended && !profileStarted()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toBe(false);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(temp)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(hidden(tmp()).filter((n) => n.startsWith('.pdf-interrupted'))).toEqual([]);
  });
});
