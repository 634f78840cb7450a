import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs, { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import { ControlLookup, readAnswers } from '../src/attest/answers';
import { importAttestations } from '../src/attest/import';
import { loadManualEvidence } from '../src/collect/manual';
import { AuditpackError } from '../src/errors';
import { builtinCatalog } from '../src/mapping/catalog';
import { REQUEST_COLUMNS } from '../src/render/requests';
import { filesIn, useTempDir } from './helpers/tmp';

/** `auditpack attest import` through the compiled CLI (`npm run build` first), on workbooks `auditpack requests` wrote for the demo. */
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-attest-');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (...parts: string[]) => path.join(tmp(), ...parts);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A column's letter in the Requests sheet, from the columns `requests` writes. */
const letter = (name: string) => String.fromCharCode(64 + REQUEST_COLUMNS.findIndex((c) => c.name === name) + 1);

type Answer = Partial<Record<'Implementation statement' | 'Implementation' | 'Attester' | 'Date' | 'Valid until' | 'Attachments', ExcelJS.CellValue>>;

/** The requested controls of a workbook, in row order (row 2 first). */
async function identifiers(file: string): Promise<string[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('Requests')!;
  return Array.from({ length: sheet.rowCount - 1 }, (_, i) => String(sheet.getRow(i + 2).getCell(1).value));
}

/** Copies a request workbook to `dest` with the owner's answers filled in, by row number. */
async function fill(source: string, dest: string, answers: Record<number, Answer>): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(source);
  const sheet = book.getWorksheet('Requests')!;
  for (const [row, answer] of Object.entries(answers)) {
    for (const [column, value] of Object.entries(answer)) sheet.getCell(`${letter(column)}${row}`).value = value;
  }
  mkdirSync(path.dirname(dest), { recursive: true });
  await book.xlsx.writeFile(dest);
}

const REQUESTS = () => at('requests');
const SAM = () => path.join(REQUESTS(), 'sam-lee.xlsx');
const PRIYA = () => path.join(REQUESTS(), 'priya-shah.xlsx');
const HARDENING = 'Guidelines for system hardening';
const NETWORKING = 'Guidelines for networking';
const ATTESTED = { 'Implementation statement': 'Hardened images only.\nChecked each quarter.', Implementation: 'Effective', Attester: 'Sam Lee, Platform lead', Date: new Date(Date.UTC(2026, 10, 20)), 'Valid until': '2099-11-19' };

let sam: string[];

beforeAll(async () => {
  expect(run('demo', '--out', at('demo'), '--format', 'csv', '--quiet').code).toBe(0);
  writeFileSync(at('owners.yaml'), `owners:\n  guidelines:\n    ${HARDENING}: { name: Sam Lee }\n    ${NETWORKING}: { name: Priya Shah }\n`);
  const r = run('requests', at('demo', 'evidence'), '--mappings', path.join(ROOT, 'mappings', 'sample'), '--config', at('owners.yaml'), '--out', REQUESTS(), '--expiring-within', '400d');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  sam = await identifiers(SAM());
  expect(sam.length).toBeGreaterThan(5);
}, 300_000);

describe('auditpack attest import', () => {
  let answers: string;
  let out: string;
  let result: ReturnType<typeof run>;

  beforeAll(async () => {
    answers = at('answers');
    out = at('imported');
    await fill(SAM(), path.join(answers, 'sam-lee.xlsx'), {
      2: { ...ATTESTED, Attachments: 'register.csv;\nevidence\\scan.txt' },
      3: { ...ATTESTED, 'Implementation statement': 'Provided by the agency gateway.', Implementation: 'alternate control', Date: '2026-11-21', 'Valid until': new Date(Date.UTC(2099, 5, 30)) },
      4: { Implementation: 'Not applicable', Attester: 'Sam Lee' },
    });
    writeFileSync(path.join(answers, 'register.csv'), 'name,completed\nA,2026-11-01\n');
    mkdirSync(path.join(answers, 'evidence'));
    writeFileSync(path.join(answers, 'evidence', 'scan.txt'), 'scanned\n');
    // Beside the workbooks: Office's lock file and the mail-merge file, neither a workbook to read.
    writeFileSync(path.join(answers, '~$sam-lee.xlsx'), 'lock');
    copyFileSync(path.join(REQUESTS(), 'requests.csv'), path.join(answers, 'requests.csv'));
    result = run('attest', 'import', 'answers', '--out', 'imported');
  }, 120_000);

  it('writes one attestation file per answered row, that collect --attestations accepts, with the attachments hashed', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const id0 = `ATT-${sam[0]}-2026-11-20`;
    const id1 = `ATT-${sam[1]}-2026-11-21`;
    expect(filesIn(out).sort()).toEqual([`${id0}.yaml`, `${id1}.yaml`, `attachments/${id0}/evidence/scan.txt`, `attachments/${id0}/register.csv`].sort());
    const items = loadManualEvidence(out);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(items.map((i) => i.record).sort(byId)).toEqual([
      { id: id0, controlIds: [sam[0].toLowerCase()], statement: 'Hardened images only.\nChecked each quarter.', implementation: 'Effective', attester: 'Sam Lee, Platform lead', attestedOn: '2026-11-20', validUntil: '2099-11-19' },
      { id: id1, controlIds: [sam[1].toLowerCase()], statement: 'Provided by the agency gateway.', implementation: 'Alternate control', attester: 'Sam Lee, Platform lead', attestedOn: '2026-11-21', validUntil: '2099-06-30' },
    ].sort(byId));
    expect(items.find((i) => i.record.id === id0)!.attachments.map((a) => [a.name, a.sha256])).toEqual([
      ['register.csv', sha256(path.join(answers, 'register.csv'))],
      ['scan.txt', sha256(path.join(answers, 'evidence', 'scan.txt'))],
    ]);
    const yaml = parse(readFileSync(path.join(out, `${id0}.yaml`), 'utf8'));
    const hashes = { register: sha256(path.join(answers, 'register.csv')), scan: sha256(path.join(answers, 'evidence', 'scan.txt')) };
    expect(yaml.attachments).toEqual([
      { path: `attachments/${id0}/register.csv`, sha256: hashes.register },
      { path: `attachments/${id0}/evidence/scan.txt`, sha256: hashes.scan },
    ]);
    expect(readFileSync(path.join(out, `${id0}.yaml`), 'utf8')).toMatch(/^# Imported by auditpack attest import from answers\/sam-lee\.xlsx:Requests!A2\n/);
    expect(result.stdout).toContain(`  ${id0}.yaml: attachments/${id0}/register.csv sha256 ${hashes.register}\n`);
    expect(result.stdout).toContain(`  ${id0}.yaml: attachments/${id0}/evidence/scan.txt sha256 ${hashes.scan}\n`);
  });

  it('counts the blank rows, and lists the answers it writes no attestation for with what to do instead', () => {
    const blank = sam.length - 3;
    expect(result.stdout).toContain(`answers/sam-lee.xlsx: 2 attestations written, ${blank} blank rows skipped, 1 answer not written\n`);
    expect(result.stdout).toContain(`  ${sam[2]} (answers/sam-lee.xlsx:Requests!${letter('Implementation')}4): answered Not applicable: no attestation written; declare it in not-applicable.yaml`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`Total: 2 attestations written, ${blank} blank rows skipped, 1 answer not written, from 1 workbook, in imported`);
  });

  it("makes collect refuse an attachment whose content no longer has the recorded hash, naming the YAML line", () => {
    const copy = at('tampered');
    cpSync(out, copy, { recursive: true });
    const id0 = `ATT-${sam[0]}-2026-11-20`;
    writeFileSync(path.join(copy, 'attachments', id0, 'register.csv'), 'name,completed\nA,2026-12-01\n');
    const lines = readFileSync(path.join(copy, `${id0}.yaml`), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(`sha256: ${sha256(path.join(answers, 'register.csv'))}`)) + 1;
    expect(() => loadManualEvidence(copy)).toThrow(`${path.join(copy, `${id0}.yaml`)}:${line}: attachments.0.sha256: attachments/${id0}/register.csv has SHA-256 ${sha256(path.join(copy, 'attachments', id0, 'register.csv'))}, not the ${sha256(path.join(answers, 'register.csv'))} recorded`);
  });

  it('refuses an --out that exists, before reading anything', () => {
    const r = run('attest', 'import', 'answers', '--out', 'imported');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('auditpack: --out imported: already exists; choose a new folder (imported answers never replace a folder)\n');
  });
});

describe('attest import problems', () => {
  /** Runs the import to a fresh --out and checks that it failed with exactly these lines, leaving nothing. */
  let runs = 0;
  function fails(args: string[], lines: string[]) {
    const out = `failed-${++runs}`;
    const before = readdirSync(tmp()).sort();
    const r = run('attest', 'import', ...args, '--out', out);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([...lines, expect.stringMatching(new RegExp(`^auditpack: ${lines.length} problems? in the workbooks; nothing written to ${out}$`))]);
    expect(r.code).toBe(1);
    expect(existsSync(at(out))).toBe(false);
    // Nor a staged folder or lock left beside it.
    expect(readdirSync(tmp()).sort()).toEqual(before);
  }

  it('names the cell of a bad date exactly, and writes nothing', async () => {
    await fill(SAM(), at('bad-date', 'sam-lee.xlsx'), { 2: ATTESTED, 7: { ...ATTESTED, Date: '31/13/2026' } });
    fails([path.join('bad-date', 'sam-lee.xlsx')], [`bad-date/sam-lee.xlsx:Requests!${letter('Date')}7: "31/13/2026" is not a date (YYYY-MM-DD)`]);
  }, 60_000);

  it('refuses an answer dated after tomorrow, naming its Date cell', async () => {
    // Tomorrow (UTC) is allowed: an owner in Australia may already be a day ahead.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const future = day(3);
    await fill(SAM(), at('future', 'sam-lee.xlsx'), { 2: { ...ATTESTED, Date: day(1), 'Valid until': day(400) }, 3: { ...ATTESTED, Date: future, 'Valid until': day(400) } });
    fails([path.join('future', 'sam-lee.xlsx')], [expect.stringMatching(new RegExp(`^future/sam-lee\\.xlsx:Requests!${letter('Date')}3: the date attested, ${future}, is in the future \\(today is \\d{4}-\\d{2}-\\d{2}\\); an attestation is dated the day it is made$`))]);
  }, 60_000);

  it('refuses an answer whose Valid until has already passed, naming its Valid until cell', async () => {
    const dir = at('passed');
    await fill(SAM(), path.join(dir, 'sam-lee.xlsx'), { 2: { ...ATTESTED, 'Valid until': '2026-12-03' }, 3: { ...ATTESTED, 'Valid until': '2026-12-02' } });
    const read = await readAnswers(path.join(dir, 'sam-lee.xlsx'), new ControlLookup(builtinCatalog().controls), { dir, root: realpathSync(dir) }, '2026-12-03');
    // Valid until the day of the import still holds that day, as the assessment judges expiry.
    expect(read.answers.map((a) => a.kind === 'attestation' && a.attestation.validUntil)).toEqual(['2026-12-03']);
    expect(read.problems).toEqual([`${path.join(dir, 'sam-lee.xlsx')}:Requests!${letter('Valid until')}3: valid until 2026-12-02 has already passed (today is 2026-12-03); an attestation must still hold when it is imported`]);
  }, 60_000);

  it('prints every problem of every workbook, cell by cell', async () => {
    await fill(SAM(), at('many', 'sam-lee.xlsx'), {
      2: { Attester: 'Sam Lee' },
      3: { ...ATTESTED, Implementation: 'Done', 'Valid until': '2026-11-20' },
      4: { ...ATTESTED, Date: 'tomorrow' },
    });
    await fill(PRIYA(), at('many', 'priya-shah.xlsx'), { 2: { ...ATTESTED, 'Implementation statement': { error: '#REF!' }, 'Valid until': '2026-02-30' } });
    const cell = (file: string, column: string, row: number) => `many/${file}:Requests!${letter(column)}${row}`;
    fails(
      ['many'],
      [
        `${cell('priya-shah.xlsx', 'Implementation statement', 2)}: holds the error #REF!, not text`,
        `${cell('priya-shah.xlsx', 'Valid until', 2)}: "2026-02-30" is not a date (YYYY-MM-DD)`,
        `${cell('sam-lee.xlsx', 'Implementation statement', 2)}: Implementation statement is empty; an answered row needs it`,
        `${cell('sam-lee.xlsx', 'Implementation', 2)}: Implementation is empty; an answered row needs it`,
        `${cell('sam-lee.xlsx', 'Date', 2)}: Date is empty; an answered row needs it`,
        `${cell('sam-lee.xlsx', 'Valid until', 2)}: Valid until is empty; an answered row needs it`,
        `${cell('sam-lee.xlsx', 'Implementation', 3)}: "Done" is not an implementation; expected one of Effective, Alternate control, Common control, Ineffective, No visibility, Not implemented, Not applicable, Not assessed`,
        `${cell('sam-lee.xlsx', 'Valid until', 3)}: valid until 2026-11-20 is not after the date attested, 2026-11-20`,
        `${cell('sam-lee.xlsx', 'Date', 4)}: "tomorrow" is not a date (YYYY-MM-DD)`,
      ],
    );
  }, 60_000);

  it('refuses attachments that are missing, absolute, outside the folder or a link out of it, a folder, or too large, as collect does', async () => {
    const dir = at('attach');
    await fill(SAM(), path.join(dir, 'sam-lee.xlsx'), { 2: { ...ATTESTED, Attachments: 'missing.pdf; /etc/hostname; ../owners.yaml; link.txt; sub; disk.img' } });
    symlinkSync(at('owners.yaml'), path.join(dir, 'link.txt'));
    mkdirSync(path.join(dir, 'sub'));
    // Sparse: three gigabytes that take no room.
    writeFileSync(path.join(dir, 'disk.img'), '');
    truncateSync(path.join(dir, 'disk.img'), 3 * 1024 ** 3);
    const cell = `attach/sam-lee.xlsx:Requests!${letter('Attachments')}2`;
    fails(
      ['attach/sam-lee.xlsx'],
      [
        `${cell}: attachment "missing.pdf" is not in attach`,
        `${cell}: attachment "/etc/hostname" is an absolute path; give its name in attach`,
        `${cell}: attachment "../owners.yaml" is outside attach`,
        `${cell}: attachment "link.txt" leads to ${realpathSync(at('owners.yaml'))}, outside attach`,
        `${cell}: attachment "sub" is not a regular file`,
        `${cell}: attachment "disk.img" is 3072 MiB, larger than the 1024 MiB an attachment may be`,
      ],
    );
  }, 60_000);

  it('finds attachments in --attachments instead of the workbook folder', async () => {
    await fill(SAM(), at('elsewhere', 'sam-lee.xlsx'), { 2: { ...ATTESTED, Attachments: 'register.csv' } });
    mkdirSync(at('evidence'));
    writeFileSync(at('evidence', 'register.csv'), 'x\n');
    fails(['elsewhere'], [`elsewhere/sam-lee.xlsx:Requests!${letter('Attachments')}2: attachment "register.csv" is not in elsewhere`]);
    const r = run('attest', 'import', 'elsewhere', '--attachments', 'evidence', '--out', 'with-evidence');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parse(readFileSync(at('with-evidence', `ATT-${sam[0]}-2026-11-20.yaml`), 'utf8')).attachments).toEqual([{ path: `attachments/ATT-${sam[0]}-2026-11-20/register.csv`, sha256: sha256(at('evidence', 'register.csv')) }]);
  }, 60_000);

  it('reads a cell as the text Excel shows: a hyperlink over plain or rich text, a formula\'s cached result, rich text', async () => {
    const dir = at('wrapped');
    const rich = (...parts: string[]): ExcelJS.CellRichTextValue => ({ richText: parts.map((text, i) => (i % 2 ? { text, font: { bold: true } } : { text })) });
    await fill(SAM(), path.join(dir, 'sam-lee.xlsx'), {
      2: {
        ...ATTESTED,
        'Implementation statement': rich('Hardened ', 'images', ' only.'),
        Attester: { formula: '"Sam Lee"', result: 'Sam Lee' },
        // exceljs types a hyperlink's text as a string, but Excel's link over formatted text is rich text.
        Attachments: { text: rich('regis', 'ter.csv') as unknown as string, hyperlink: 'register.csv' },
      },
      3: { ...ATTESTED, 'Implementation statement': { text: 'Provided by the gateway.', hyperlink: 'https://example.org/gateway' }, Attachments: rich('evidence/', 'scan.txt') },
      4: { ...ATTESTED, Attachments: { text: 'register.csv', hyperlink: 'register.csv' }, 'Valid until': { formula: 'DATE(2099,11,19)', result: new Date(Date.UTC(2099, 10, 19)) } },
    });
    writeFileSync(path.join(dir, 'register.csv'), 'x\n');
    mkdirSync(path.join(dir, 'evidence'));
    writeFileSync(path.join(dir, 'evidence', 'scan.txt'), 'y\n');
    const r = run('attest', 'import', 'wrapped', '--out', 'wrapped-out');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = (row: number) => parse(readFileSync(at('wrapped-out', `ATT-${sam[row - 2]}-2026-11-20.yaml`), 'utf8'));
    const attachment = (row: number, name: string) => ({ path: `attachments/ATT-${sam[row - 2]}-2026-11-20/${name}`, sha256: sha256(path.join(dir, name)) });
    expect(written(2)).toMatchObject({ statement: 'Hardened images only.', attester: 'Sam Lee', attachments: [attachment(2, 'register.csv')] });
    expect(written(3)).toMatchObject({ statement: 'Provided by the gateway.', attachments: [attachment(3, 'evidence/scan.txt')] });
    expect(written(4)).toMatchObject({ validUntil: '2099-11-19', attachments: [attachment(4, 'register.csv')] });
  }, 60_000);

  it("names the workbook, not --attachments, when its own folder cannot be read and no --attachments was given", async () => {
    const dir = at('unreadable');
    await fill(SAM(), path.join(dir, 'sam-lee.xlsx'), { 2: ATTESTED });
    // As root can read any folder, the refusal is simulated, for that folder only.
    const realpath = fs.realpathSync;
    const refuse = jest.spyOn(fs, 'realpathSync').mockImplementation(((p: string) => {
      if (p === dir) throw Object.assign(new Error(`EACCES: permission denied, realpath '${p}'`), { code: 'EACCES' });
      return realpath(p);
    }) as typeof fs.realpathSync);
    try {
      const request = { inputs: [path.join(dir, 'sam-lee.xlsx')], outDir: at('unreadable-out'), today: '2026-12-01' };
      await expect(importAttestations({ ...request, attachmentsDir: null })).rejects.toThrow(
        new AuditpackError(`${path.join(dir, 'sam-lee.xlsx')}: the folder its attachments are looked for in (${dir}, as no --attachments was given): cannot read (EACCES)`),
      );
      await expect(importAttestations({ ...request, attachmentsDir: dir })).rejects.toThrow(new AuditpackError(`--attachments ${dir}: cannot read (EACCES)`));
    } finally {
      refuse.mockRestore();
    }
    expect(existsSync(at('unreadable-out'))).toBe(false);
  }, 60_000);

  it('refuses two rows giving the same id, naming both cells', async () => {
    await fill(SAM(), at('twice', 'a.xlsx'), { 3: ATTESTED });
    copyFileSync(at('twice', 'a.xlsx'), at('twice', 'b.xlsx'));
    const id = `ATT-${sam[1]}-2026-11-20`;
    fails(['twice'], [`twice/b.xlsx:Requests!A3: gives the attestation id ${id} (${sam[1]} attested 2026-11-20), as twice/a.xlsx:Requests!A3 does already; one answer per control and date`]);
  }, 60_000);

  it('names a workbook without the Requests sheet or one of its columns, a folder without workbooks, a missing argument', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['Identifier']);
    mkdirSync(at('odd'));
    await other.xlsx.writeFile(at('odd', 'other.xlsx'));
    const cut = new ExcelJS.Workbook();
    cut.addWorksheet('Requests').addRow(REQUEST_COLUMNS.map((c) => c.name).filter((n) => n !== 'Valid until' && n !== 'Attester'));
    await cut.xlsx.writeFile(at('odd', 'cut.xlsx'));
    mkdirSync(at('empty'));
    fails(
      ['odd', 'empty', 'nowhere'],
      [
        'empty: no .xlsx workbook in this folder',
        'nowhere: no such file or folder',
        'odd/cut.xlsx: the Requests sheet\'s first row has no "Attester", "Valid until" columns',
        'odd/other.xlsx: has no sheet named Requests (is it a workbook auditpack requests wrote?)',
      ],
    );
  }, 60_000);
});
