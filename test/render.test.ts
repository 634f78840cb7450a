import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { AssessmentResult } from '../src/assess/result';
import type { EvidencePack } from '../src/evidence/reader';
import { resolveBrowser } from '../src/render/browser';
import { safeCell } from '../src/render/cells';
import { renderPrintMargins, TEMPLATES_DIR } from '../src/render/html';
import { REPORT_FORMATS, renderReport, type RenderedFile } from '../src/render/index';
import { writePdf } from '../src/render/pdf';
import type { Table } from '../src/render/tables';
import { writeXlsx } from '../src/render/xlsx';
import { CONTROLS, renderResult } from './fixtures/render-result';
import { BARE_LF_ANNOTATION, FORMULA_ID, MFA_FAILURES, MULTILINE_ANNOTATION, ORGANISATION, SCRIPT_ANNOTATION, writeRenderPack } from './fixtures/render-pack';

const MARKING = 'OFFICIAL: Sensitive';
const NON_ASCII = 'Zürich – 東京';

// The CSV/XLSX column names are a documented interface that GRC imports join on: renaming one must fail here.
const CONTROL_COLUMNS = [
  'control_id',
  'guideline',
  'section',
  'topic',
  'responsibility',
  'status',
  'rationale',
  'compliant',
  'non_compliant',
  'not_applicable',
  'insufficient_data',
  'findings_total',
  'attestation_ids',
  'exception_ids',
  'report_ids',
];
const EVIDENCE_COLUMNS = [
  'account_id',
  'region',
  'rule_name',
  'rule_identifier',
  'control_ids',
  'resource_type',
  'resource_id',
  'compliance_type',
  'annotation',
  'result_recorded_time',
];

let base: string;
let pack: EvidencePack;
let result: AssessmentResult;
let out: string;
let written: RenderedFile[];
let evaluations: number;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'auditpack-render-'));
  pack = await writeRenderPack(path.join(base, 'pack'));
  result = renderResult(pack);
  evaluations = pack.manifest.files.find((f) => f.path === 'config/evaluations.jsonl')!.records!;
  out = path.join(base, 'report');
  await mkdir(out);
  written = await renderReport(result, pack, out, { formats: REPORT_FORMATS, marking: MARKING });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('renderReport', () => {
  test('writes every format and reports the data rows of each CSV file', async () => {
    expect([...written].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'csv/attestations.csv', records: 1 },
      { path: 'csv/controls.csv', records: CONTROLS.length },
      { path: 'csv/evidence.csv', records: evaluations },
      { path: 'csv/exceptions.csv', records: 1 },
      { path: 'csv/gaps.csv', records: 1 },
      { path: 'report.html', records: null },
      { path: 'report.pdf', records: null },
      { path: 'report.xlsx', records: null },
    ]);
    expect(await listFiles(out)).toEqual(written.map((w) => w.path).sort());
  });

  test('writes only the formats asked for', async () => {
    for (const format of ['csv', 'html', 'xlsx'] as const) {
      const dir = path.join(base, `only-${format}`);
      await mkdir(dir);
      const files = await renderReport(result, pack, dir, { formats: [format], marking: MARKING });
      expect(await listFiles(dir)).toEqual(files.map((f) => f.path).sort());
      expect(files.every((f) => (format === 'csv' ? f.path.startsWith('csv/') : f.path === `report.${format}`))).toBe(true);
    }
  });

  test('refuses a result assessed from a different pack', async () => {
    const other = renderResult(pack, { pack: { ...result.pack, manifestSha256: '0'.repeat(64) } });
    const dir = path.join(base, 'mismatch');
    await mkdir(dir);
    await expect(renderReport(other, pack, dir, { formats: ['csv'], marking: MARKING })).rejects.toThrow(/assessment result is for pack manifest 0{64}/);
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe('PDF', () => {
  let text: string;
  let pages: string[];
  beforeAll(() => {
    text = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    pages = text.split('\f').filter((p) => p.trim() !== '');
  });

  test('prints the marking, SAMPLE DATA and "Page X of Y" on every page', () => {
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((page, i) => {
      expect(page.split(MARKING).length - 1).toBeGreaterThanOrEqual(2);
      expect(page).toContain('SAMPLE DATA');
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  test('shows each control with its status', () => {
    expect(text).toMatch(/ism-0974\s+Non-compliant/);
    expect(text).toMatch(/ism-0810\s+Inherited\s+Inherited, evidenced/);
    expect(text).toContain(`and ${MFA_FAILURES - 5} more: see the Evidence sheet`);
  });

  test('is A4, tagged, titled and has bookmarks for its headings', async () => {
    const info = execFileSync('pdfinfo', [path.join(out, 'report.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Page size:.*\(A4\)$/m);
    expect(info).toMatch(/^Title:\s+ISM compliance report/m);
    const raw = (await readFile(path.join(out, 'report.pdf'))).toString('latin1');
    expect(raw).toContain('/Outlines');
    expect(raw).toContain('/Title (Guidelines for system hardening)');
  });
  test('runs no script and makes no request while printing', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('body::after { content: "FETCHED" }');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const file = path.join(base, 'hostile.pdf');
      const hostile = `<!DOCTYPE html><html><head><link rel="stylesheet" href="${origin}/style.css"></head>
        <body><p>static text</p><img src="${origin}/pixel.png"><script>document.body.append('SCRIPT RAN')</script></body></html>`;
      await writePdf(file, hostile, { header: '<span></span>', footer: '<span></span>' });
      const printed = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(printed).toContain('static text');
      expect(printed).not.toContain('SCRIPT RAN');
      expect(printed).not.toContain('FETCHED');
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('HTML', () => {
  let html: string;
  beforeAll(async () => {
    html = await readFile(path.join(out, 'report.html'), 'utf8');
  });

  test('escapes pack text', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Example Agency &lt;Zürich &amp; 東京&gt;');
    expect(html).not.toContain(ORGANISATION);
    expect(html).toContain('&lt;b&gt;here&lt;/b&gt;');
  });

  test('is self-contained: no scripts, no external references', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import/i);
    const hrefs = [...html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual([]);
  });

  test('templates never bypass escaping', async () => {
    const files = (await readdir(TEMPLATES_DIR, { recursive: true })).filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(`${f}: ${await readFile(path.join(TEMPLATES_DIR, f), 'utf8')}`).not.toContain('{{{');
  });

  test('keeps non-ASCII text and says SAMPLE DATA with the marking', () => {
    expect(html).toContain(NON_ASCII);
    expect(html).toContain('SAMPLE DATA');
    expect(html).toContain(MARKING);
    expect(html).toContain('GOV-01: Executive cyber security accountability');
    expect(html).toContain('Revision 0');
  });

  test('notes once that statements were not loaded, and shows them when they were', async () => {
    expect(html.split('Control statements are not included').length - 1).toBe(1);
    const statement = 'Fixture statement written for this test <em>only</em>.';
    const loaded = renderResult(pack, {
      catalog: { ...result.catalog, statementsLoaded: true },
      controls: CONTROLS.map((c) => (c.id === 'ism-0974' ? { ...c, statement } : c)),
    });
    const dir = path.join(base, 'statements');
    await mkdir(dir);
    await renderReport(loaded, pack, dir, { formats: ['html'], marking: MARKING });
    const page = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(page).not.toContain('Control statements are not included');
    expect(page).toContain('Fixture statement written for this test &lt;em&gt;only&lt;/em&gt;.');
  });

  test('shows each guideline once, even when the result interleaves them', async () => {
    const dir = path.join(base, 'interleaved');
    await mkdir(dir);
    await renderReport(renderResult(pack, { controls: [...CONTROLS].reverse() }), pack, dir, { formats: ['html'], marking: MARKING });
    const page = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(page.split('<h2>Guidelines for system hardening</h2>').length - 1).toBe(1);
    expect(page.split('<h3>Authentication hardening</h3>').length - 1).toBe(1);
  });

  test('escapes the marking in the PDF header and footer', async () => {
    const { header, footer } = await renderPrintMargins(result, '<b>PROTECTED</b> & "x"');
    for (const margin of [header, footer]) {
      expect(margin).toContain('&lt;b&gt;PROTECTED&lt;/b&gt; &amp; &quot;x&quot;');
      expect(margin).not.toContain('<b>');
      expect(margin).toContain('SAMPLE DATA');
    }
    expect(footer).toMatch(/Page <span class="pageNumber"><\/span> of <span class="totalPages"><\/span>/);
  });
});

async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

function sheetRows(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
  });
  return rows;
}

describe('XLSX', () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await readWorkbook(path.join(out, 'report.xlsx'));
  });

  test('has one sheet per table, each with a bold frozen header and a filter', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Controls', 'Evidence', 'Attestations', 'Exceptions', 'Gaps']);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBe(`A1:${sheet.getColumn(sheet.columnCount).letter}${sheet.rowCount}`);
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(sheet.getColumn(1).width).toBeGreaterThan(8);
    }
  });

  test('has the same columns as the CSV files', () => {
    expect((workbook.getWorksheet('Controls')!.getRow(1).values as unknown[]).slice(1)).toEqual(CONTROL_COLUMNS);
    expect((workbook.getWorksheet('Evidence')!.getRow(1).values as unknown[]).slice(1)).toEqual(EVIDENCE_COLUMNS);
  });

  test('Summary says SAMPLE DATA first and pins the pack', () => {
    const summary = Object.fromEntries(sheetRows(workbook.getWorksheet('Summary')!).map((r) => [r.item, r.value]));
    expect(sheetRows(workbook.getWorksheet('Summary')!)[0].value).toMatch(/^SAMPLE DATA/);
    expect(summary['Pack manifest SHA-256']).toBe(pack.manifestSha256);
    expect(summary['Protective marking']).toBe(MARKING);
    expect(summary['Status: Non-compliant']).toBe(2);
  });

  test('Controls has one row per control with evidence counts', () => {
    const rows = sheetRows(workbook.getWorksheet('Controls')!);
    expect(rows.map((r) => r.control_id)).toEqual(CONTROLS.map((c) => c.id));
    expect(rows.find((r) => r.control_id === 'ism-0974')).toMatchObject({ status: 'non-compliant', compliant: 1, non_compliant: MFA_FAILURES, findings_total: MFA_FAILURES });
    expect(rows.find((r) => r.control_id === 'ism-1173')).toMatchObject({ exception_ids: 'EXC-7', attestation_ids: null });
  });

  test('Evidence has one row per evaluation, labelled with rule identifier and controls', () => {
    const rows = sheetRows(workbook.getWorksheet('Evidence')!);
    expect(rows).toHaveLength(evaluations);
    expect(rows.find((r) => r.resource_id === 'alice')).toMatchObject({ rule_identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', control_ids: 'ism-0974;ism-1173', annotation: SCRIPT_ANNOTATION });
    expect(rows.find((r) => r.resource_id === 'logs-zürich-東京')).toMatchObject({ rule_name: 's3-public-read', control_ids: 'ism-0520' });
    // An identifier that is also an Object.prototype key maps to nothing.
    expect(rows.find((r) => r.rule_name === 'custom-tagging')).toMatchObject({ rule_identifier: 'constructor', control_ids: null });
    expect(rows.find((r) => r.rule_name === 'orphaned-rule')).toMatchObject({ rule_identifier: null, control_ids: null });
  });

  test('neutralises formulas', () => {
    const sheet = workbook.getWorksheet('Evidence')!;
    const column = EVIDENCE_COLUMNS.indexOf('resource_id') + 1;
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => cells.push(row.getCell(column)));
    const formula = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.value).toBe(`'${FORMULA_ID}`);
    expect(cells.some((c) => c.value === "'@i-0def")).toBe(true);
    const exceptions = sheetRows(workbook.getWorksheet('Exceptions')!);
    expect(exceptions[0].rationale).toMatch(/^'\+Legacy/);
  });

  test('continues a table on a new sheet instead of exceeding the row limit', async () => {
    const table: Table = {
      sheet: 'Rows',
      csv: null,
      columns: [{ name: 'n', width: 10 }],
      async *rows() {
        for (let n = 1; n <= 5; n++) yield [n];
      },
    };
    const file = path.join(base, 'split.xlsx');
    await writeXlsx(file, [table], { marking: MARKING, sample: false, maxRows: 3 });
    const split = await readWorkbook(file);
    expect(split.worksheets.map((s) => [s.name, sheetRows(s).map((r) => r.n)])).toEqual([
      ['Rows', [1, 2]],
      ['Rows (2)', [3, 4]],
      ['Rows (3)', [5]],
    ]);
  });
});

describe('CSV', () => {
  const read = async (name: string) => {
    const bytes = await readFile(path.join(out, 'csv', name));
    return { bytes, rows: parse(bytes, { columns: true }) as Record<string, string>[] };
  };

  test('controls.csv has the documented header and one row per control', async () => {
    const { bytes, rows } = await read('controls.csv');
    expect(bytes.toString('utf8').split('\r\n')[0]).toBe(CONTROL_COLUMNS.join(','));
    expect(rows.map((r) => r.control_id)).toEqual(CONTROLS.map((c) => c.id));
    expect(rows[1]).toMatchObject({ control_id: 'ism-0974', non_compliant: String(MFA_FAILURES), attestation_ids: '' });
  });

  test('evidence.csv has one row per evaluation, in UTF-8 with CRLF records and no BOM', async () => {
    const { bytes, rows } = await read('evidence.csv');
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(EVIDENCE_COLUMNS.join(','));
    expect(bytes[0]).not.toBe(0xef);
    expect(rows).toHaveLength(evaluations);
    expect(rows.find((r) => r.resource_id === 'logs-zürich-東京')).toBeDefined();
    expect(rows.find((r) => r.resource_id === 'alice')!.annotation).toBe(SCRIPT_ANNOTATION);
  });

  test('keeps multi-line text in one quoted field', async () => {
    const { bytes, rows } = await read('evidence.csv');
    // Parsers that split records on any line break (Excel, most scripts) need the quotes.
    expect(bytes.toString('utf8')).toContain(`"${BARE_LF_ANNOTATION}"`);
    expect(rows.find((r) => r.rule_name === 's3-bucket-public-read-prohibited-cp-1a2b')!.annotation).toBe(MULTILINE_ANNOTATION);
    expect(rows.find((r) => r.rule_name === 'cloudtrail-enabled')!.annotation).toBe(BARE_LF_ANNOTATION);
  });

  test('neutralises formulas', async () => {
    const { rows } = await read('evidence.csv');
    expect(rows.map((r) => r.resource_id)).toEqual(expect.arrayContaining([`'${FORMULA_ID}`, "'@i-0def"]));
    expect(rows.some((r) => Object.values(r).some((v) => /^[=+\-@\t\r]/.test(v)))).toBe(false);
    const { rows: exceptions } = await read('exceptions.csv');
    expect(exceptions[0].rationale).toMatch(/^'\+Legacy/);
  });
});

describe('safeCell', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+61 2 0000 0000', "'+61 2 0000 0000"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=x', "'\t=x"],
    ['\r=x', "'\r=x"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });

  test('leaves numbers and empty cells alone', () => {
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBeNull();
  });
});

describe('resolveBrowser', () => {
  test('uses PUPPETEER_EXECUTABLE_PATH when set', () => {
    expect(resolveBrowser({ PUPPETEER_EXECUTABLE_PATH: process.execPath })).toBe(process.execPath);
  });

  test('reports a PUPPETEER_EXECUTABLE_PATH that does not exist', () => {
    expect(() => resolveBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' })).toThrow(/PUPPETEER_EXECUTABLE_PATH is \/nonexistent\/chrome, which does not exist/);
  });

  test('otherwise finds an installed browser', () => {
    expect(existsSync(resolveBrowser({}))).toBe(true);
  });
});
