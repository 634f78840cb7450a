import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import { STATUSES, type AssessmentResult } from '../src/assess/result';
import type { EvidencePack } from '../src/evidence/reader';
import { resolveBrowser } from '../src/render/browser';
import { DateCell, safeCell } from '../src/render/cells';
import { CISO_ASSISTANT_FILES } from '../src/render/ciso-assistant';
import { POAM_CSV, POAM_FILE } from '../src/render/poam';
import { renderPrintMargins, TEMPLATES_DIR } from '../src/render/html';
import { packRows, REPORT_FORMATS, renderReport, type RenderedFile } from '../src/render/index';
import { stampDates, writePdf, writeReportPdf } from '../src/render/pdf';
import { readPdfStructure, type PdfStructure } from '../src/render/pdf-outline';
import { STATUS_COLOURS, STATUS_LABELS } from '../src/render/statuses';
import type { Table } from '../src/render/tables';
import { reportOutline } from '../src/render/view';
import { EXCEL_MAX_CELL_TEXT, writeXlsx } from '../src/render/xlsx';
import { writeCsv } from '../src/render/csv';
import { CONTROLS, MFA_RATIONALE, renderResult, SUPPORTING_RULE } from './fixtures/render-result';
import {
  BARE_LF_ANNOTATION,
  COMMAND_ANNOTATION,
  FORMULA_ID,
  MFA_FAILURES,
  MULTILINE_ANNOTATION,
  ORGANISATION,
  SCRIPT_ANNOTATION,
  STRAY_BUCKET,
  writeRenderPack,
} from './fixtures/render-pack';

const MARKING = 'OFFICIAL: Sensitive';
const SYSTEM = 'Case Management – Zürich';
const NON_ASCII = 'Zürich – 東京';

// The CSV/XLSX column names are a documented interface that GRC imports join on (docs/csv-schema.md): renaming one must fail here.
const COLUMNS: Record<string, string[]> = {
  'csv/summary.csv': ['item', 'value'],
  'csv/controls.csv': [
    'control_id',
    'kind',
    'label',
    'title',
    'guideline',
    'section',
    'topic',
    'revision',
    'statement',
    'responsibility',
    'responsibility_infrastructure',
    'responsibility_container',
    'responsibility_abstracted',
    'status',
    'rationale',
    'rule_identifiers',
    'compliant',
    'non_compliant',
    'not_applicable',
    'insufficient_data',
    'findings_total',
    'attestation_ids',
    'exception_ids',
    'report_ids',
    'residency_findings',
    'failing_resources',
    'process_checks',
    'aws_half',
    'aws_half_rationale',
    'implementation',
    'annex_responsibility',
    'implementation_comments',
    'mapping_rationale',
    'rule_parameters',
    'evidence_refs',
    'owner',
    'owner_role',
    'owner_email',
  ],
  'csv/evidence.csv': [
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
    'config_rule_invoked_time',
  ],
  'csv/resources.csv': ['account_id', 'region', 'resource_type', 'resource_id', 'resource_name', 'arn', 'service_category', 'in_allowed_region'],
  'csv/accounts.csv': ['account_id', 'account_name'],
  'csv/inherited.csv': ['control_id', 'guideline', 'section', 'status', 'report_id', 'report_name', 'report_series', 'report_version', 'period_start', 'period_end', 'report_file_sha256'],
  'csv/attestations.csv': ['attestation_id', 'control_ids', 'state', 'attester', 'attested_on', 'valid_until', 'statement', 'implementation', 'attachments'],
  'csv/exceptions.csv': ['exception_id', 'control_ids', 'state', 'owner', 'approved_by', 'approved_on', 'expires_on', 'rationale', 'attachments'],
  'csv/gaps.csv': ['collector', 'service', 'operation', 'account_id', 'region', 'error_code', 'message'],
  'csv/data-residency.csv': ['account_id', 'region', 'resource_type', 'resource_id', 'resource_name', 'arn', 'control_ids'],
  'csv/changes.csv': ['kind', 'item', 'change', 'earlier', 'current'],
  'csv/manifest.csv': ['path', 'description', 'bytes', 'records', 'sha256'],
  'csv/unmapped-rules.csv': ['rule_identifier', 'process_check', 'deployments', 'compliant', 'non_compliant', 'not_applicable', 'insufficient_data', 'reason'],
  'csv/practices.csv': [
    'service',
    'practice',
    'description',
    'status',
    'rationale',
    'rules_deployed',
    'rules_to_deploy',
    'manual_evidence',
    'control_ids',
    'compliant_resources',
    'non_compliant_resources',
    'non_compliant_by_account',
  ],
};
const SHEETS: Record<string, string> = {
  Summary: 'csv/summary.csv',
  Controls: 'csv/controls.csv',
  Evidence: 'csv/evidence.csv',
  Resources: 'csv/resources.csv',
  Accounts: 'csv/accounts.csv',
  Practices: 'csv/practices.csv',
  Inherited: 'csv/inherited.csv',
  Attestations: 'csv/attestations.csv',
  Exceptions: 'csv/exceptions.csv',
  Gaps: 'csv/gaps.csv',
  'Data residency': 'csv/data-residency.csv',
  Changes: 'csv/changes.csv',
  Manifest: 'csv/manifest.csv',
  'Deployed, not mapped': 'csv/unmapped-rules.csv',
};

let base: string;
let pack: EvidencePack;
let result: AssessmentResult;
let out: string;
let written: RenderedFile[];
let evaluations: number;

/** One full render of the fixture pack shared by every test that only reads it (a PDF takes seconds). */
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'auditpack-render-'));
  pack = await writeRenderPack(path.join(base, 'pack'));
  result = renderResult(pack);
  evaluations = pack.manifest.files.find((f) => f.path === 'config/evaluations.jsonl')!.records!;
  out = await renderTo('report', { formats: REPORT_FORMATS, marking: MARKING, system: SYSTEM });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function renderTo(name: string, options: Parameters<typeof renderReport>[3], using: AssessmentResult = result, run: Parameters<typeof renderReport>[4] = {}): Promise<string> {
  const dir = path.join(base, name);
  await mkdir(dir);
  const files = await renderReport(using, await packRows(using, pack.dir), dir, options, run);
  if (name === 'report') written = files;
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Text as read, with identifiers wrapped at an underscore joined again (the report wraps them only there). */
const squash = (text: string) => text.replace(/_\s+/g, '_').replace(/\s+/g, ' ').trim();

describe('renderReport', () => {
  test('writes every format and reports the data rows of each CSV file', async () => {
    const records = Object.fromEntries(written.map((w) => [w.path, w.records]));
    expect(Object.keys(records).sort()).toEqual(['report.html', 'report.pdf', 'report.xlsx', 'ssp-annex.xlsx', ...Object.keys(COLUMNS), 'oscal/assessment-results.json', 'oscal/poam.json', POAM_FILE, POAM_CSV, ...CISO_ASSISTANT_FILES].sort());
    expect(records).toMatchObject({
      'report.pdf': null,
      'csv/controls.csv': CONTROLS.length,
      'csv/evidence.csv': evaluations,
      'csv/resources.csv': 2,
      'csv/accounts.csv': 2,
      'csv/attestations.csv': 1,
      'csv/exceptions.csv': 1,
      'csv/gaps.csv': 1,
      'csv/data-residency.csv': 1,
      'csv/changes.csv': 0,
      'csv/practices.csv': 2,
    });
    expect(await listFiles(out)).toEqual(written.map((w) => w.path).sort());
  });

  test('writes only the formats asked for, and names each stage as it starts', async () => {
    const STAGES = { csv: 'writing CSV', html: 'rendering HTML', xlsx: 'writing XLSX' };
    for (const format of ['csv', 'html', 'xlsx'] as const) {
      const stages: string[] = [];
      const dir = await renderTo(`only-${format}`, { formats: [format], marking: MARKING }, result, { onStage: (s) => stages.push(s) });
      const files = await listFiles(dir);
      expect(files.every((f) => (format === 'csv' ? f.startsWith('csv/') : f === `report.${format}`))).toBe(true);
      expect(stages).toEqual([STAGES[format]]);
    }
  });

  test('refuses a result assessed from a different pack', async () => {
    const other = renderResult(pack, { pack: { ...result.pack, manifestSha256: '0'.repeat(64) } });
    const dir = path.join(base, 'mismatch');
    await mkdir(dir);
    await expect(packRows(other, pack.dir)).rejects.toThrow(/assessment result is for pack manifest 0{64}/);
    expect(await listFiles(dir)).toEqual([]);
  });

  test('two renders of one pack give identical XLSX and CSV bytes', async () => {
    const again = await renderTo('again', { formats: ['xlsx', 'csv'], marking: MARKING, system: SYSTEM });
    for (const file of ['report.xlsx', ...Object.keys(COLUMNS)]) {
      expect(`${file}: ${(await readFile(path.join(again, file))).toString('base64')}`).toBe(`${file}: ${(await readFile(path.join(out, file))).toString('base64')}`);
    }
  });
});

describe('PDF', () => {
  let file: string;
  let pages: string[];
  let structure: PdfStructure;
  const pageText = (n: number, layout = false) => execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' });

  beforeAll(async () => {
    file = path.join(out, 'report.pdf');
    structure = await readPdfStructure(await readFile(file));
    pages = Array.from({ length: structure.pageCount }, (_, i) => pageText(i + 1));
  });

  test('is A4, tagged, titled and dated when collection completed', () => {
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Page size:.*\(A4\)$/m);
    expect(info).toMatch(/^Title:\s+ISM compliance report: Case Management – Zürich, Example Agency <Zürich & 東京>, 2026-Q1 \(SAMPLE DATA\)$/m);
    expect(info).toMatch(/^CreationDate:\s+2026-03-31T00:20:00(Z|\+00)/m);
    expect(info).toMatch(/^ModDate:\s+2026-03-31T00:20:00(Z|\+00)/m);
  });

  test('prints at full size: nothing is wide enough to make Chromium shrink the pages', () => {
    // Chromium scales a whole document down when any part is wider than the page; type sizes would then drift.
    const page = structure.destinations.get('summary')!;
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
    const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Executive<\/word>/.exec(bbox)!;
    // The 15pt heading: Liberation Sans's line box is 1.117 em; its left edge is the 15 mm page margin plus the number.
    expect(Number(word[3]) - Number(word[2])).toBeCloseTo(15 * 1.117, 0);
    expect(Number(word[1])).toBeGreaterThan(42);
  });

  test('prints the marking at the top and bottom, SAMPLE DATA and "Page X of Y" on every page', () => {
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((page, i) => {
      const lines = page.split('\n').map((l) => l.trim()).filter(Boolean);
      expect(`page ${i + 1}: ${lines.slice(0, 3).join(' | ')}`).toContain(MARKING);
      expect(`page ${i + 1}: ${lines.slice(-3).join(' | ')}`).toContain(MARKING);
      expect(page).toContain('SAMPLE DATA');
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  test('has a bookmark for every part, guideline and section, on the page its heading is on', () => {
    const outline = reportOutline(result);
    const bookmarks = structure.outline.filter((b) => b.title !== 'Contents' && !b.title.startsWith('Case Management'));
    for (const entry of outline) {
      const title = squash(`${entry.number} ${entry.title}`);
      const bookmark = bookmarks.find((b) => squash(b.title) === title);
      expect({ title, found: bookmark !== undefined }).toEqual({ title, found: true });
      expect(squash(pages[bookmark!.page! - 1])).toContain(title);
    }
    expect(bookmarks.find((b) => b.title.endsWith('Guidelines for system hardening'))!.depth).toBe(1);
    expect(bookmarks.find((b) => b.title.endsWith('Authentication hardening'))!.depth).toBe(2);
  });

  test("the table of contents' page numbers are those of the headings", () => {
    const contents = pages.slice(1, pages.findIndex((p) => /^\s*1 Executive summary/m.test(p.split('\n').slice(3).join('\n')))).map((_, i) => pageText(i + 2, true)).join('\n');
    const outline = reportOutline(result);
    expect(outline.length).toBeGreaterThan(10);
    for (const entry of outline) {
      const line = contents.split('\n').find((l) => squash(l).startsWith(squash(`${entry.number} ${entry.title}`)));
      expect({ entry: entry.title, line: line !== undefined }).toEqual({ entry: entry.title, line: true });
      const page = Number(/(\d+)\s*$/.exec(line!)![1]);
      expect(page).toBe(structure.destinations.get(entry.id));
      // The heading itself (number and title) is printed on that page.
      expect(`${entry.id} on page ${page}: ${squash(pages[page - 1]).includes(squash(`${entry.number} ${entry.title}`))}`).toBe(`${entry.id} on page ${page}: true`);
    }
  });

  test('has the cover facts an auditor cites', () => {
    const cover = squash(pages[0]);
    // No CJK font is installed where the tests run, so 東京 prints as empty boxes; the rest must be there.
    for (const fact of [SYSTEM, 'Example Agency <Zürich &', '2026-Q1', 'PROTECTED', 'ISM 2025.12.9', pack.manifestSha256, 'pack-2026-Q1-fixture', 'auditpack 0.1.0', 'SAMPLE DATA']) {
      expect(cover).toContain(fact);
    }
  });

  /**
   * A control's row in part 6 as pdftotext -layout prints it: the status badge's text is read from the
   * Status column (between the "Status" and "Assessment" headings of the page), over as many lines as it wraps.
   */
  /** `id` is what the row's first column shows: a control's id, or a principle's label. */
  function controlRow(id: string): { line: string; responsibility: string; status: string } {
    for (let n = pages.length; n >= 1; n--) {
      const lines = pageText(n, true).split('\n');
      const header = lines.find((l) => /Control\s+Responsibility\s+Status\s+Assessment and evidence/.test(l));
      const at = lines.findIndex((l) => new RegExp(`^\\s*${id}(\\s|$)`).test(l));
      if (!header || at < 0) continue;
      const column = (from: number, to: number) => {
        const cell = (l: string) => l.slice(from, to).trim();
        const parts = [cell(lines[at])];
        for (let i = at + 1; i < lines.length && cell(lines[i]) && !/^\s*ism-/.test(lines[i]); i++) parts.push(cell(lines[i]));
        return parts.join(' ');
      };
      return {
        line: lines[at],
        responsibility: column(header.indexOf('Responsibility'), header.indexOf('Status')),
        status: column(header.indexOf('Status'), header.indexOf('Assessment')),
      };
    }
    throw new Error(`${id}: no row in the PDF`);
  }

  test('shows each control with the status and SSP annex implementation the XLSX and CSV give it', async () => {
    const csv = parse(await readFile(path.join(out, 'csv', 'controls.csv')), { columns: true }) as Record<string, string>[];
    const workbook = await readWorkbook(path.join(out, 'report.xlsx'));
    const xlsx = sheetRows(workbook.getWorksheet('Controls')!);
    for (const c of CONTROLS) {
      const statusIn = { pdf: controlRow(c.kind === 'principle' ? c.label! : c.id).status, xlsx: xlsx.find((r) => r.control_id === c.id)!.status, csv: csv.find((r) => r.control_id === c.id)!.status };
      expect({ id: c.id, ...statusIn }).toEqual({ id: c.id, pdf: `${STATUS_LABELS[c.status]} ${c.implementation}`, xlsx: c.status, csv: c.status });
      // Whole, never broken over a line, so that searching the PDF for an id finds it.
      expect(pages.join('\n')).toMatch(new RegExp(`(^|\\s)${c.id}(:|\\s)`));
    }
  });

  test('lists failing resources up to a bound and points to the spreadsheets for the rest', () => {
    const all = squash(pages.join(' '));
    expect(all).toContain(`and ${MFA_FAILURES - 5} more: see the Evidence sheet of report.xlsx (csv/evidence.csv)`);
    expect(all).toContain('user-5');
    expect(all).not.toContain('user-6 ');
  });

  test('has a service security practices part with one table per service in use, naming the rules to deploy', () => {
    const all = squash(pages.join(' '));
    expect(all).toMatch(/1 Executive summary \d+ 2 Service security practices \d+ 3 Scope and evidence/);
    expect(all).toContain('2 of 2 service security practices of the services in use are not followed in whole or part, or not evidenced (part 2).');
    const part = squash(all.slice(all.lastIndexOf('2 Service security practices'), all.lastIndexOf('3 Scope and evidence')));
    expect(part).toContain('Amazon S3 Practice Status Evidence');
    expect(part).toContain('not-public No bucket can be read by anyone on the internet. Partly followed 1 compliant and 1 non-compliant resources; failing in 222222222222 (1).');
    expect(part).toContain('Deployed: S3_BUCKET_PUBLIC_READ_PROHIBITED To deploy: S3_BUCKET_PUBLIC_WRITE_PROHIBITED');
    expect(part).toMatch(/object-lock .* Not evidenced None of its rules is deployed: deploy S3_BUCKET_DEFAULT_LOCK_ENABLED\. /);
    expect(part).not.toContain('Amazon RDS');
    // The service heading is in the table's header, so no page break can part it from the table.
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<thead>\s*<tr class="service"><th colspan="3" scope="colgroup"><h2>Amazon S3<\/h2><\/th><\/tr>/);
  });

  test('shows the responsibility split, the shared responsibility matrix and the inherited controls with their reports', () => {
    const split = controlRow('ism-1546');
    expect(split.line).toMatch(/ism-1546 rev\. 0\s+Shared\s+Not assessed\s+No Config rule/);
    expect(split.responsibility).toBe('Shared');
    expect(squash(pages.join(' '))).toContain('Responsibility by service category: Inherited for abstracted services.');
    const all = squash(pages.join(' '));
    expect(all).toContain('Service categories in use');
    const part5 = pages.map((_, i) => pageText(i + 1, true)).join('\n');
    expect(part5).toMatch(/A1\s+AWS IRAP Assessment Report\s+3\s+2025-01-01 to 2025-12-31\s+1\n\s+IRAP · Published · file not downloaded/);
    expect(part5).toMatch(/ism-0810\s+6\.5\.1 Facilities and systems\s+Inherited, evidenced\s+A1/);
    // In part 6 an inherited control cites its reports by reference instead of repeating their names.
    expect(all).toContain('Inherited from AWS; evidenced by AWS Artifact reports A1 (part 5).');
  });

  test('wraps a rule identifier only after an underscore, and its text still reads as the identifier', async () => {
    // Longer than any column, so it must wrap; without break opportunities Chromium would cut it inside a word.
    const long = 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK_AND_EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK';
    const controls = CONTROLS.map((c) => (c.id === 'ism-0520' ? { ...c, rationale: `${long} found 1 publicly readable bucket.` } : c));
    const dir = await renderTo('wrapping', { formats: ['pdf'], marking: MARKING }, renderResult(pack, { controls }));
    const text = execFileSync('pdftotext', [path.join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    // The identifier as printed: its characters in order, with any line breaks pdftotext read between them.
    const printed = [...text.matchAll(new RegExp([...long].join('\\n?'), 'g'))].map((m) => m[0]);
    expect(printed.length).toBeGreaterThanOrEqual(2); // in the control's row and in the attention list
    for (const p of printed) {
      expect(p).toContain('\n');
      expect(p.split('\n').slice(0, -1).filter((line) => !line.endsWith('_'))).toEqual([]);
      expect(p.replace(/\n/g, '')).toBe(long);
    }
  });

  test("prints each rule's rationale and parameters under its control, and its supporting rules apart", () => {
    const all = squash(pages.join(' '));
    const row = all.slice(all.indexOf('MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS: 1 compliant'));
    expect(row).toMatch(new RegExp(`^MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS: 1 compliant.{0,120}${MFA_RATIONALE.replace(/\./g, '\\.')} Parameters: maxCredentialUsageAge: 45\\.`));
    expect(row).toContain('Supporting evidence only, deciding nothing: IAM_USER_MFA_ENABLED');
  });

  test('says plainly that no earlier report was compared', () => {
    expect(squash(pages.join(' '))).toContain('No earlier report was given for comparison');
  });

  test('renders hostile and non-ASCII pack text as plain text', () => {
    const all = pages.join('\n');
    expect(all).toContain('<script>alert(1)</script> MFA missing for Zürich');
    expect(all).toContain(FORMULA_ID);
    expect(all).toContain(STRAY_BUCKET);
    expect(all).toContain('Production – Zürich');
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
      const hostileFile = path.join(base, 'hostile.pdf');
      const hostile = `<!DOCTYPE html><html><head><link rel="stylesheet" href="${origin}/style.css"><style>@font-face { font-family: x; src: url(${origin}/font.woff2) } p { font-family: x }</style></head>
        <body><p>static text</p><img src="${origin}/pixel.png"><iframe src="${origin}/frame"></iframe><script>document.body.append('SCRIPT RAN')</script></body></html>`;
      await writePdf(hostileFile, hostile, { header: '<span></span>', footer: '<span></span>' });
      const printed = execFileSync('pdftotext', [hostileFile, '-'], { encoding: 'utf8' });
      expect(printed).toContain('static text');
      expect(printed).not.toContain('SCRIPT RAN');
      expect(printed).not.toContain('FETCHED');
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  describe('table of contents passes', () => {
    // A small document whose layout can depend on the page numbers it is given, to exercise the passes.
    const doc = (extraPages: number) =>
      `<!DOCTYPE html><html><body><p><a href="#a">A</a> <a href="#b">B</a></p>` +
      `<h1 id="a" style="break-before: page">A</h1>${'<p style="break-before: page">filler</p>'.repeat(extraPages)}<h1 id="b" style="break-before: page">B</h1></body></html>`;
    const margins = { header: '<span></span>', footer: '<span></span>' };
    const timestamp = new Date('2026-01-01T00:00:00Z');

    test('prints again when filling in the numbers moved a heading, and stops once they hold', async () => {
      const target = path.join(base, 'passes.pdf');
      const printed: (number | null)[] = [];
      const html = (pages: ReadonlyMap<string, number> | null) => {
        printed.push(pages?.get('b') ?? null);
        return doc(pages === null ? 0 : 1);
      };
      expect(await writeReportPdf(target, { html, contents: ['a', 'b'], margins, timestamp })).toEqual({ pages: 4, passes: 3 });
      expect(printed).toEqual([null, 3, 4]);
      expect((await readPdfStructure(await readFile(target))).destinations.get('b')).toBe(4);
    });

    test('refuses to write a PDF whose numbers never settle', async () => {
      const target = path.join(base, 'unsettled.pdf');
      const html = (pages: ReadonlyMap<string, number> | null) => doc(pages?.get('b') ?? 0);
      await expect(writeReportPdf(target, { html, contents: ['a', 'b'], margins, timestamp })).rejects.toThrow(/did not settle after 3 passes; the PDF was not written/);
      expect(existsSync(target)).toBe(false);
    });
  });

  test('stamps a fixed date without moving any byte', () => {
    const original = Buffer.from("%PDF-1.4\n1 0 obj <</CreationDate (D:20991231235959+00'00')\n/ModDate (D:20991231235959+00'00')>>\n");
    const stamped = stampDates(original, new Date('2026-03-31T00:20:00Z'));
    expect(stamped.length).toBe(original.length);
    expect(stamped.toString('latin1')).toBe("%PDF-1.4\n1 0 obj <</CreationDate (D:20260331002000+00'00')\n/ModDate (D:20260331002000+00'00')>>\n");
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

  test('is self-contained: no scripts, no external references, local fonts only', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    const hrefs = [...html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual([]);
    // Every internal link has a target.
    for (const href of new Set(hrefs)) expect(`${href}: ${html.includes(`id="${href.slice(1)}"`)}`).toBe(`${href}: true`);
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
    expect(html).toContain(SYSTEM);
    expect(html).toContain('ism-principle-gov-01: Executive cyber security accountability');
    expect(html).toContain('rev. 0');
  });

  test('has no page numbers in its contents', () => {
    expect(html).toMatch(/<span class="toc-page"><\/span>/);
  });

  test('notes once that statements were not loaded, and shows them when they were', async () => {
    expect(html.split('Control statements are not included').length - 1).toBe(1);
    const statement = 'Fixture statement written for this test <em>only</em>.\n\n- first item\n- second item';
    const loaded = renderResult(pack, {
      catalog: { ...result.catalog, statementsLoaded: true },
      controls: CONTROLS.map((c) => (c.id === 'ism-0974' ? { ...c, statement } : c)),
    });
    const page = await readFile(path.join(await renderTo('statements', { formats: ['html'], marking: MARKING }, loaded), 'report.html'), 'utf8');
    expect(page).not.toContain('Control statements are not included');
    expect(page).toContain('Fixture statement written for this test &lt;em&gt;only&lt;/em&gt;.\n- first item\n- second item');
  });

  test('shows each guideline and section once, even when the result interleaves them', async () => {
    const page = await readFile(path.join(await renderTo('interleaved', { formats: ['html'], marking: MARKING }, renderResult(pack, { controls: [...CONTROLS].reverse() })), 'report.html'), 'utf8');
    expect(page.match(/<h2 id="g-\d+" class="guideline-title"><span class="num">6\.\d+<\/span> Guidelines for system hardening<\/h2>/g)).toHaveLength(1);
    expect(page.match(/<h3 id="g-\d+-\d+"><span class="num">6\.\d+\.\d+<\/span> Authentication hardening<\/h3>/g)).toHaveLength(1);
  });

  test("shows both halves of a shared control, process check evidence, each failing resource once, and rules deployed but not mapped", async () => {
    const controls = CONTROLS.map((c) => {
      if (c.id === 'ism-1405') return { ...c, awsHalf: { evidenced: false, rationale: "no AWS Artifact report in the pack evidences AWS's part. AWS SOC 2 does not count: AWS::Lightsail is outside its service scope (as read 2026-12-02)." } };
      if (c.id === 'ism-0109') {
        const check = { name: 'audit-log-policy-exists', ruleName: 'audit-log-policy-exists', accountId: '111111111111', region: 'ap-southeast-2', complianceType: 'COMPLIANT' as const, annotation: 'Policy v2 approved', resultRecordedTime: '2026-03-01T00:00:00Z', validUntil: '2027-03-01', expired: false };
        return { ...c, evidence: { ...c.evidence, processChecks: [check] } };
      }
      if (c.id === 'ism-0974') return { ...c, evidence: { ...c.evidence, findings: c.evidence.findings.map((f, i) => (i ? f : { ...f, otherRules: ['IAM_USER_MFA_ENABLED'] })) } };
      return c;
    });
    const unmappedRules = [{ sourceIdentifier: 'MY_ORG_TAGGING_RULE', processCheck: null, deployments: 2, counts: { COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, reason: null }];
    const page = await readFile(path.join(await renderTo('halves', { formats: ['html'], marking: MARKING }, renderResult(pack, { controls, unmappedRules })), 'report.html'), 'utf8');
    const row = (id: string) => page.slice(page.indexOf(`<tr id="${id}"`), page.indexOf('</tr>', page.indexOf(`<tr id="${id}"`)));
    expect(row('ism-1405')).toContain('AWS\'s half: <span class="badge st-inherited-evidence-missing">Not evidenced</span> no AWS Artifact report in the pack evidences AWS&#x27;s part.');
    expect(row('ism-1405')).toContain('AWS::Lightsail is outside its service scope');
    expect(row('ism-0109')).toContain('AWS Config process check audit-log-policy-exists, account');
    expect(row('ism-0109')).toContain('Policy v2 approved');
    // Identifiers may wrap after an underscore and nowhere else; the <wbr> adds no character.
    expect(row('ism-0974')).toContain('also fails IAM_<wbr>USER_<wbr>MFA_<wbr>ENABLED');
    expect(page).toContain('1 rule identifier bear on no control: MY_<wbr>ORG_<wbr>TAGGING_<wbr>RULE');
    expect(page).toMatch(/1 shared control has an AWS half that no AWS Artifact report in scope evidences/);
  });

  test('marks wrap points in identifiers without unescaping anything', async () => {
    const hostile = 'A_B<script>x_y</script> & "C_D"';
    const controls = CONTROLS.map((c) => (c.id === 'ism-0520' ? { ...c, rationale: hostile } : c));
    const page = await readFile(path.join(await renderTo('wbr', { formats: ['html'], marking: MARKING }, renderResult(pack, { controls })), 'report.html'), 'utf8');
    expect(page).toContain('A_<wbr>B&lt;script&gt;x_<wbr>y&lt;/script&gt; &amp; &quot;C_<wbr>D&quot;');
    expect(page).not.toContain('<script>');
  });

  test('every status bar names its mix in words, prints the counts that fit and sits by a legend', () => {
    const bars = [...html.matchAll(/<div class="stack" role="img" aria-label="([^"]*)">(.*?)<\/div>/g)];
    // The overall bar, one per responsibility and one per guideline.
    const guidelines = new Set(CONTROLS.map((c) => c.guideline)).size;
    expect(bars).toHaveLength(1 + 3 + guidelines);
    for (const [, label, segments] of bars) {
      // "Non-compliant 2, Inherited, evidenced 1": a new entry starts at a capital after a comma.
      const named = label.split(/, (?=[A-Z])/).map((entry) => /^(.+) (\d+)$/.exec(entry)!).map((m) => ({ label: m[1], count: m[2] }));
      const printed = [...segments.matchAll(/class="seg st-([a-z-]+)" style="width: [\d.]+%">(\d*)<\/span>/g)];
      expect(named.map((n) => n.label)).toEqual(printed.map((m) => STATUS_LABELS[m[1] as (typeof STATUSES)[number]]));
      // A segment prints its count, or nothing where it is too narrow; never another number.
      printed.forEach((m, i) => expect([m[2], named[i].count]).toEqual([m[2] === '' ? '' : named[i].count, named[i].count]));
    }
    const overall = bars[0];
    const totals = STATUSES.filter((s) => result.totals.byStatus[s] > 0);
    expect(overall[1]).toBe(totals.map((s) => `${STATUS_LABELS[s]} ${result.totals.byStatus[s]}`).join(', '));
    // A legend follows the overall bar and each chart table, naming every status that occurs.
    const legends = html.match(/<div class="legend" aria-hidden="true">/g) ?? [];
    expect(legends).toHaveLength(3);
    for (const s of totals) expect(html).toContain(`<span class="swatch st-${s}"></span>${STATUS_LABELS[s]} ${result.totals.byStatus[s]}`);
  });

  test('the summary gives the baseline and the controls assessed as separate figures', () => {
    const figure = (label: string) => new RegExp(`<div class="fig-value">(\\d+)</div><div class="fig-label">${label}</div>`).exec(html)?.[1];
    expect(figure('Controls in the baseline')).toBe(String(CONTROLS.length));
    expect(figure('Assessed')).toBe(String(CONTROLS.filter((c) => c.status !== 'not-assessed').length));
    expect(figure('Not assessed')).toBe(String(CONTROLS.filter((c) => c.status === 'not-assessed').length));
    expect(html).not.toContain('Controls assessed');
  });

  test('escapes the marking and system in the PDF header and footer', async () => {
    const { header, footer } = await renderPrintMargins(result, '<b>PROTECTED</b> & "x"', '<i>sys</i>');
    for (const margin of [header, footer]) {
      expect(margin).toContain('&lt;b&gt;PROTECTED&lt;/b&gt; &amp; &quot;x&quot;');
      expect(margin).not.toContain('<b>');
      expect(margin).toContain('SAMPLE DATA');
    }
    expect(header).toContain('&lt;i&gt;sys&lt;/i&gt;');
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

/** A sheet's column, as cells. */
function columnCells(sheet: ExcelJS.Worksheet, name: string): ExcelJS.Cell[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const column = header.indexOf(name) + 1;
  const cells: ExcelJS.Cell[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) cells.push(row.getCell(column));
  });
  return cells;
}

const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;

describe('XLSX', () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await readWorkbook(path.join(out, 'report.xlsx'));
  });

  test('has one sheet per table, each with a bold, filled, frozen header, a filter and set widths', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(Object.keys(SHEETS));
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBe(`A1:${sheet.getColumn(sheet.columnCount).letter}${Math.max(sheet.rowCount, 1)}`);
      const header = sheet.getRow(1).getCell(1);
      expect(header.font?.bold).toBe(true);
      expect(fillOf(header)).toBe('FFE6EAEE');
      expect(sheet.getColumn(1).width).toBeGreaterThan(8);
    }
  });

  test('has the same columns as the CSV files', () => {
    for (const [sheet, csv] of Object.entries(SHEETS)) {
      expect({ sheet, columns: (workbook.getWorksheet(sheet)!.getRow(1).values as unknown[]).slice(1) }).toEqual({ sheet, columns: COLUMNS[csv] });
    }
  });

  test('Summary says SAMPLE DATA first and pins the pack', () => {
    const rows = sheetRows(workbook.getWorksheet('Summary')!);
    const summary = Object.fromEntries(rows.map((r) => [r.item, r.value]));
    expect(rows[0].value).toMatch(/^SAMPLE DATA/);
    expect(summary['Pack manifest SHA-256']).toBe(pack.manifestSha256);
    expect(summary['Protective marking']).toBe(MARKING);
    expect(summary.System).toBe(SYSTEM);
    expect(summary['Status: Non-compliant']).toBe(2);
    expect(summary['Control statements loaded']).toBe(false);
    expect(summary['Assessed as of']).toEqual(new Date('2026-04-01T00:00:00Z'));
  });

  test('Controls has one row per control with evidence counts and status colours', () => {
    const sheet = workbook.getWorksheet('Controls')!;
    const rows = sheetRows(sheet);
    expect(rows.map((r) => r.control_id)).toEqual(CONTROLS.map((c) => c.id));
    expect(rows.find((r) => r.control_id === 'ism-0974')).toMatchObject({ status: 'non-compliant', compliant: 1, non_compliant: MFA_FAILURES, findings_total: MFA_FAILURES });
    expect(rows.find((r) => r.control_id === 'ism-1173')).toMatchObject({ exception_ids: 'EXC-7', attestation_ids: null });
    expect(rows.find((r) => r.control_id === 'ism-1546')).toMatchObject({ responsibility: 'shared', responsibility_infrastructure: 'shared', responsibility_abstracted: 'inherited', responsibility_container: null });
    for (const cell of columnCells(sheet, 'status')) {
      expect(STATUSES).toContain(cell.value);
      expect(fillOf(cell)).toBe(`FF${STATUS_COLOURS[cell.value as (typeof STATUSES)[number]].fill.slice(1)}`);
    }
  });

  test('writes dates and times as real dates', () => {
    const attested = columnCells(workbook.getWorksheet('Attestations')!, 'attested_on')[0];
    expect(attested.value).toEqual(new Date('2026-01-15T00:00:00Z'));
    expect(attested.numFmt).toBe('yyyy-mm-dd');
    const recorded = columnCells(workbook.getWorksheet('Evidence')!, 'result_recorded_time')[0];
    expect(recorded.value).toBeInstanceOf(Date);
    expect(recorded.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((recorded.value as Date).toISOString()).toBe('2026-03-30T23:01:00.000Z');
    expect(columnCells(workbook.getWorksheet('Inherited')!, 'period_end')[0].value).toEqual(new Date('2025-12-31T00:00:00Z'));
  });

  test('Evidence has one row per evaluation, labelled with rule identifier and controls', () => {
    const rows = sheetRows(workbook.getWorksheet('Evidence')!);
    expect(rows).toHaveLength(evaluations);
    expect(rows.find((r) => r.resource_id === 'alice')).toMatchObject({ rule_identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', control_ids: 'ism-0974;ism-1173', annotation: SCRIPT_ANNOTATION });
    expect(rows.find((r) => r.resource_id === 'logs-zürich-東京')).toMatchObject({ rule_name: 's3-public-read', control_ids: 'ism-0520' });
    // An identifier that is also an Object.prototype key maps to nothing.
    expect(rows.find((r) => r.rule_name === 'custom-tagging')).toMatchObject({ rule_identifier: 'constructor', control_ids: null });
    expect(rows.find((r) => r.rule_name === 'orphaned-rule')).toMatchObject({ rule_identifier: null, control_ids: null });
    const nonCompliant = columnCells(workbook.getWorksheet('Evidence')!, 'compliance_type').find((c) => c.value === 'NON_COMPLIANT')!;
    expect(fillOf(nonCompliant)).toBe(`FF${STATUS_COLOURS['non-compliant'].fill.slice(1)}`);
  });

  test('Resources, Data residency, Inherited and Manifest come from the pack and the result', () => {
    expect(sheetRows(workbook.getWorksheet('Resources')!).find((r) => r.region === 'us-east-1')).toMatchObject({ in_allowed_region: false, service_category: 'abstracted', resource_name: '<script>alert(2)</script>' });
    expect(sheetRows(workbook.getWorksheet('Data residency')!)).toEqual([expect.objectContaining({ resource_id: `'${STRAY_BUCKET}`, control_ids: 'ism-1572' })]);
    expect(sheetRows(workbook.getWorksheet('Inherited')!)).toEqual([expect.objectContaining({ control_id: 'ism-0810', report_id: 'report-irap-2025', report_version: 3 })]);
    const manifest = sheetRows(workbook.getWorksheet('Manifest')!);
    expect(manifest.map((r) => r.path)).toEqual(pack.manifest.files.map((f) => f.path));
    expect(manifest.find((r) => String(r.path).startsWith('attachments/'))!.description).toBe('Attachment: soc-monitoring-runbook.pdf (attestation ATT-2026-01)');
  });

  test('neutralises formulas', () => {
    const ids = columnCells(workbook.getWorksheet('Evidence')!, 'resource_id');
    const formula = ids.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.value).toBe(`'${FORMULA_ID}`);
    expect(ids.some((c) => c.value === "'@i-0def")).toBe(true);
    expect(sheetRows(workbook.getWorksheet('Evidence')!).find((r) => r.rule_name === 'custom-tagging')!.annotation).toBe(`'${COMMAND_ANNOTATION}`);
    expect(sheetRows(workbook.getWorksheet('Exceptions')!)[0].rationale).toMatch(/^'\+Legacy/);
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  test('stamps every zip entry with the time collection completed', async () => {
    const zip = await readFile(path.join(out, 'report.xlsx'));
    // 2026-03-31 00:20:00 in DOS date and time fields.
    const date = ((2026 - 1980) << 9) | (3 << 5) | 31;
    const time = (0 << 11) | (20 << 5) | 0;
    let entries = 0;
    for (let at = zip.indexOf('PK\x01\x02'); at >= 0; at = zip.indexOf('PK\x01\x02', at + 4)) {
      entries++;
      expect([zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)]).toEqual([time, date]);
      const local = zip.readUInt32LE(at + 42);
      expect([zip.readUInt16LE(local + 10), zip.readUInt16LE(local + 12)]).toEqual([time, date]);
    }
    expect(entries).toBeGreaterThan(10);
    expect(workbook.created).toEqual(new Date('2026-03-31T00:20:00Z'));
  });

  test("cuts text over Excel's cell limit with a marker, never splitting a character", async () => {
    const long = `${'a'.repeat(EXCEL_MAX_CELL_TEXT - 200)}${'😀'.repeat(1000)}`;
    const table: Table = {
      sheet: 'Long',
      csv: 'csv/long.csv',
      columns: [{ name: 'text', width: 10 }],
      async *rows() {
        yield [long];
        yield ['short'];
      },
    };
    const file = path.join(base, 'long.xlsx');
    await writeXlsx(file, [table], { marking: MARKING, sample: false, timestamp: new Date('2026-01-01T00:00:00Z') });
    const [cut, short] = sheetRows((await readWorkbook(file)).getWorksheet('Long')!).map((r) => String(r.text));
    expect(cut.length).toBeLessThanOrEqual(EXCEL_MAX_CELL_TEXT);
    expect(cut).toMatch(/… \[cut to fit Excel: 34,567 characters in all; the CSV file has the full text\]$/);
    expect(long.startsWith(cut.slice(0, cut.indexOf('…')))).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(short).toBe('short');
    const csv = path.join(base, 'long.csv');
    await writeCsv(csv, table);
    expect((parse(await readFile(csv), { columns: true }) as { text: string }[])[0].text).toBe(long);
  });

  test('continues a table on a new sheet instead of exceeding the row limit', async () => {
    const table: Table = {
      sheet: 'Rows',
      csv: 'csv/rows.csv',
      columns: [{ name: 'n', width: 10 }],
      async *rows() {
        for (let n = 1; n <= 5; n++) yield [n];
      },
    };
    const file = path.join(base, 'split.xlsx');
    await writeXlsx(file, [table], { marking: MARKING, sample: false, maxRows: 3, timestamp: new Date('2026-01-01T00:00:00Z') });
    const split = await readWorkbook(file);
    expect(split.worksheets.map((s) => [s.name, sheetRows(s).map((r) => r.n)])).toEqual([
      ['Rows', [1, 2]],
      ['Rows (2)', [3, 4]],
      ['Rows (3)', [5]],
    ]);
  });
});

describe('CSV', () => {
  const read = async (name: string, dir = out, options: Record<string, unknown> = {}) => {
    const bytes = await readFile(path.join(dir, 'csv', name));
    return { bytes, rows: parse(bytes, { columns: true, ...options }) as Record<string, string>[] };
  };

  test('every file has its documented header, in UTF-8 with CRLF records and no BOM', async () => {
    for (const [file, columns] of Object.entries(COLUMNS)) {
      const bytes = await readFile(path.join(out, file));
      expect(bytes[0]).not.toBe(0xef);
      expect(`${file}: ${bytes.toString('utf8').split('\r\n')[0]}`).toBe(`${file}: ${columns.join(',')}`);
    }
  });

  test('docs/csv-schema.md documents every file and column', async () => {
    const doc = await readFile(path.join(__dirname, '..', 'docs', 'csv-schema.md'), 'utf8');
    for (const [file, columns] of Object.entries(COLUMNS)) {
      const section = doc.slice(doc.indexOf(`## \`${file}\``));
      expect(`${file}: ${doc.includes(`## \`${file}\``)}`).toBe(`${file}: true`);
      const body = section.slice(0, section.indexOf('\n## ', 4) >= 0 ? section.indexOf('\n## ', 4) : undefined);
      for (const column of columns) expect(`${file}: ${column}: ${body.includes(`| \`${column}\` |`)}`).toBe(`${file}: ${column}: true`);
    }
  });

  test('controls.csv parses back to the assessment: one row per control, same statuses and counts', async () => {
    const { rows } = await read('controls.csv');
    expect(rows).toHaveLength(result.controls.length);
    rows.forEach((row, i) => {
      const c = result.controls[i];
      expect(row).toMatchObject({
        control_id: c.id,
        status: c.status,
        responsibility: c.responsibility,
        rationale: c.rationale,
        findings_total: String(c.evidence.findingsTotal),
        failing_resources: String(c.evidence.findingsTotal),
        aws_half: c.awsHalf === null ? '' : c.awsHalf.evidenced ? 'evidenced' : 'missing',
        revision: c.revision === null ? '' : String(c.revision),
        implementation: c.implementation,
        annex_responsibility: c.annexResponsibility,
        implementation_comments: c.implementationComments,
      });
      expect(IMPLEMENTATION_STATUSES).toContain(row.implementation);
    });
  });

  test('controls.csv traces each rule: its rationale, parameters and the records it cites', async () => {
    const { rows } = await read('controls.csv');
    expect(rows.find((r) => r.control_id === 'ism-0974')).toMatchObject({
      mapping_rationale: `MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS: ${MFA_RATIONALE}\nIAM_USER_MFA_ENABLED (supporting): ${SUPPORTING_RULE.mapping.rationale}`,
      rule_parameters: '{"MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS":[{"maxCredentialUsageAge":"45"}],"IAM_USER_MFA_ENABLED":[{},{"maxAge":"90","actions":"kms:Decrypt,kms:ReEncrypt*"}]}',
      // The supporting rule decides nothing, so it cites nothing.
      evidence_refs: 'config/evaluations.jsonl:1;config/evaluations.jsonl:9',
    });
    // A control without rules leaves the three cells empty.
    expect(rows.find((r) => r.control_id === 'ism-0109')).toMatchObject({ mapping_rationale: '', rule_parameters: '', evidence_refs: '' });
  });

  test('evidence.csv has one row per evaluation, with times as recorded', async () => {
    const { rows } = await read('evidence.csv');
    expect(rows).toHaveLength(evaluations);
    expect(rows.find((r) => r.resource_id === 'logs-zürich-東京')).toBeDefined();
    expect(rows.find((r) => r.resource_id === 'alice')).toMatchObject({ annotation: SCRIPT_ANNOTATION, result_recorded_time: '2026-03-30T23:01:00Z' });
  });

  test('keeps multi-line text in one quoted field', async () => {
    const { bytes, rows } = await read('evidence.csv');
    // Parsers that split records on any line break (Excel, most scripts) need the quotes.
    expect(bytes.toString('utf8')).toContain(`"${BARE_LF_ANNOTATION}"`);
    expect(rows.find((r) => r.rule_name === 's3-bucket-public-read-prohibited-cp-1a2b')!.annotation).toBe(MULTILINE_ANNOTATION);
    expect(rows.find((r) => r.rule_name === 'cloudtrail-enabled')!.annotation).toBe(BARE_LF_ANNOTATION);
  });

  test('neutralises formulas in every file', async () => {
    const { rows } = await read('evidence.csv');
    expect(rows.map((r) => r.resource_id)).toEqual(expect.arrayContaining([`'${FORMULA_ID}`, "'@i-0def"]));
    expect(rows.find((r) => r.rule_name === 'custom-tagging')!.annotation).toBe(`'${COMMAND_ANNOTATION}`);
    for (const file of Object.keys(COLUMNS)) {
      const parsed = parse(await readFile(path.join(out, file)), { columns: true }) as Record<string, string>[];
      expect(`${file}: ${parsed.some((r) => Object.values(r).some((v) => /^[\t\r\0]|^[\s\0]*[=+\-@]/.test(v)))}`).toBe(`${file}: false`);
    }
    expect((await read('exceptions.csv')).rows[0].rationale).toMatch(/^'\+Legacy/);
    expect((await read('data-residency.csv')).rows[0].resource_id).toBe(`'${STRAY_BUCKET}`);
  });

  test('--csv-bom and --csv-delimiter', async () => {
    const semicolon = await renderTo('csv-semicolon', { formats: ['csv'], marking: MARKING, csv: { delimiter: ';', bom: true } });
    const bytes = await readFile(path.join(semicolon, 'csv', 'controls.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(COLUMNS['csv/controls.csv'].join(';'));
    const { rows } = await read('evidence.csv', semicolon, { delimiter: ';', bom: true });
    expect(rows).toHaveLength(evaluations);
    expect(rows.find((r) => r.resource_id === 'alice')).toMatchObject({ control_ids: 'ism-0974;ism-1173', annotation: SCRIPT_ANNOTATION });

    const tab = await renderTo('csv-tab', { formats: ['csv'], marking: MARKING, csv: { delimiter: '\t', bom: false } });
    const tabbed = await read('controls.csv', tab, { delimiter: '\t' });
    expect(tabbed.bytes.toString('utf8').split('\r\n')[0]).toBe(COLUMNS['csv/controls.csv'].join('\t'));
    expect(tabbed.rows.map((r) => r.status)).toEqual(CONTROLS.map((c) => c.status));
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
    [' =1+1', "' =1+1"],
    ['\n=1+1', "'\n=1+1"],
    ['\0=1+1', "'\0=1+1"],
    ['\v+1', "'\v+1"],
    ['\f-1', "'\f-1"],
    ['  \n @SUM(A1)', "'  \n @SUM(A1)"],
    ['\0', "'\0"],
    [' a=b', ' a=b'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });

  test('leaves numbers, booleans, dates and empty cells alone', () => {
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(false)).toBe(false);
    const date = DateCell.date('2026-01-01');
    expect(safeCell(date)).toBe(date);
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
