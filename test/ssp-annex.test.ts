import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ANNEX_RESPONSIBILITIES, IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import type { AssessmentResult } from '../src/assess/result';
import type { EvidencePack } from '../src/evidence/reader';
import { baselineControls, builtinCatalog } from '../src/mapping/catalog';
import { packRows, renderReport } from '../src/render/index';
import { SSP_ANNEX_COLUMNS, SSP_ANNEX_FILE, SSP_ANNEX_NOTES_SHEET, SSP_ANNEX_SHEET } from '../src/render/ssp-annex';
import { CONTROLS, renderResult } from './fixtures/render-result';
import { writeRenderPack } from './fixtures/render-pack';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';
import { hasOpenpyxl, sheetLayout } from './helpers/workbook-layout';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..');
const tmp = useTempDir('auditpack-ssp-annex-');
const MARKING = 'PROTECTED//CABINET & NSC';

/** ASD's SSP annex template columns, in its order: written out here so a reordering in the code fails. */
const TEMPLATE_COLUMNS = [
  'Guideline',
  'Section',
  'Topic',
  'Identifier',
  'Revision',
  'Updated',
  'Applicability',
  'Essential Eight',
  'Description',
  'Responsibility',
  'Implementation',
  'Implementation comments',
];

let pack: EvidencePack;
let result: AssessmentResult;

beforeAll(async () => {
  pack = await writeRenderPack(path.join(tmp(), 'pack'));
  result = renderResult(pack);
});

async function render(name: string, using: AssessmentResult = result): Promise<string> {
  const dir = path.join(tmp(), name);
  await mkdir(dir);
  const files = await renderReport(using, await packRows(using, pack.dir), dir, { formats: ['annex'], marking: MARKING, system: 'Payments' });
  expect(files.map((f) => f.path)).toContain(SSP_ANNEX_FILE);
  return path.join(dir, SSP_ANNEX_FILE);
}

async function readAnnex(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, n: number): unknown[] => (sheet.getRow(n).values as unknown[]).slice(1);

describe('the SSP annex workbook', () => {
  let workbook: ExcelJS.Workbook;
  let sheet: ExcelJS.Worksheet;
  beforeAll(async () => {
    workbook = await readAnnex(await render('annex'));
    sheet = workbook.getWorksheet(SSP_ANNEX_SHEET)!;
  });

  test("has the template's columns in the template's order", () => {
    expect(SSP_ANNEX_COLUMNS.map((c) => c.name)).toEqual(TEMPLATE_COLUMNS);
    expect(rowValues(sheet, 1)).toEqual(TEMPLATE_COLUMNS);
  });

  test('has one row per control of the result, in its order, with its catalog facts and annex values', () => {
    expect(sheet.rowCount).toBe(CONTROLS.length + 1);
    const col = (name: string) => TEMPLATE_COLUMNS.indexOf(name);
    CONTROLS.forEach((c, i) => {
      const values = rowValues(sheet, i + 2);
      expect(values[col('Identifier')]).toBe(c.kind === 'principle' ? c.label : c.id.toUpperCase());
      expect(values[col('Guideline')]).toBe(c.guideline);
      expect(values[col('Topic')]).toBe(c.topic);
      expect(values[col('Responsibility')]).toBe(c.annexResponsibility);
      expect(values[col('Implementation')]).toBe(c.implementation);
      expect(values[col('Implementation comments')]).toBe(c.implementationComments);
    });
    const principle = rowValues(sheet, 2);
    expect(principle[col('Revision')]).toBeUndefined();
    const control = rowValues(sheet, 3);
    expect(control.slice(col('Revision'), col('Essential Eight') + 1)).toEqual([1, 'Dec-25', 'NC, OS, P, S, TS', undefined]);
  });

  test('every implementation cell is one of the eight statuses, and every responsibility one of the three', () => {
    for (let r = 2; r <= sheet.rowCount; r++) {
      expect(IMPLEMENTATION_STATUSES).toContain(sheet.getRow(r).getCell(11).value);
      expect(ANNEX_RESPONSIBILITIES).toContain(sheet.getRow(r).getCell(10).value);
    }
  });

  test('restricts the responsibility and implementation columns to their lists, on every row', () => {
    for (const r of [2, sheet.rowCount]) {
      expect(sheet.getCell(`J${r}`).dataValidation).toMatchObject({ type: 'list', formulae: [`"${ANNEX_RESPONSIBILITIES.join(',')}"`], showErrorMessage: true });
      expect(sheet.getCell(`K${r}`).dataValidation).toMatchObject({ type: 'list', formulae: [`"${IMPLEMENTATION_STATUSES.join(',')}"`], showErrorMessage: true });
    }
    expect(sheet.getCell('L2').dataValidation).toBeUndefined();
  });

  test('freezes and filters the header, repeats it on every printed page and prints the marking', () => {
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:L${CONTROLS.length + 1}`);
    expect(sheet.pageSetup.printTitlesRow).toBe('1:1');
    // `&` starts a control code in a print header, so the marking's own is doubled.
    expect(sheet.headerFooter.oddHeader).toContain('PROTECTED//CABINET && NSC');
    expect(sheet.headerFooter.oddFooter).toContain('PROTECTED//CABINET && NSC');
  });

  test('leaves the description empty without statement text, and says why', () => {
    expect(result.catalog.statementsLoaded).toBe(false);
    for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getRow(r).getCell(9).value).toBeNull();
    const about = workbook.getWorksheet(SSP_ANNEX_NOTES_SHEET)!;
    const notes = Object.fromEntries(Array.from({ length: about.rowCount - 1 }, (_, i) => rowValues(about, i + 2)));
    expect(notes.Description).toMatch(/^Left empty: the catalog used \(the built-in facts index\) holds no statement text/);
    expect(notes.System).toBe('Payments');
    expect(notes.Baseline).toBe(result.baseline);
  });

  test('fills the description from the statements when the catalog has them, and lists Essential Eight levels', async () => {
    const withStatements = renderResult(pack, {
      catalog: { version: '2025.12.9', source: 'ISM_catalog.json', statementsLoaded: true },
      controls: CONTROLS.map((c) => ({ ...c, statement: `Statement of ${c.id}.`, essentialEight: ['ML2', 'ML3'] })),
    });
    const annex = await readAnnex(await render('statements', withStatements));
    const row = annex.getWorksheet(SSP_ANNEX_SHEET)!.getRow(3);
    expect(row.getCell(9).value).toBe(`Statement of ${CONTROLS[1].id}.`);
    expect(row.getCell(8).value).toBe('ML2, ML3');
    const about = annex.getWorksheet(SSP_ANNEX_NOTES_SHEET)!;
    expect(about.getColumn(1).values).toContain('Description');
    expect(JSON.stringify(about.getColumn(2).values)).not.toContain('Left empty');
  });

  test('is byte-identical when rendered twice from the same result, its zip stamped with the collection time', async () => {
    const [a, b] = await Promise.all([render('twice-1'), render('twice-2')]);
    const bytes = await readFile(a);
    expect(bytes.equals(await readFile(b))).toBe(true);
    // Two renders within a second would match anyway: the first entry's DOS time and date show the stamp is the pack's, not the clock's.
    const when = new Date(result.pack.completedAt);
    expect(bytes.readUInt16LE(10)).toBe((when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2));
    expect(bytes.readUInt16LE(12)).toBe(((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate());
    expect(workbook.created).toEqual(when);
  });
});


describe('report --format annex on the demo', () => {
  let annex: string;
  beforeAll(async () => {
    const out = path.join(tmp(), 'demo');
    const run = await runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), 'demo', '--out', out, '--format', 'annex', '--quiet'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    annex = path.join(out, 'report', SSP_ANNEX_FILE);
  });

  test('has one row per control of the PROTECTED baseline', async () => {
    const sheet = (await readAnnex(annex)).getWorksheet(SSP_ANNEX_SHEET)!;
    const baseline = baselineControls(builtinCatalog(), 'PROTECTED');
    expect(sheet.rowCount - 1).toBe(baseline.length);
    // The built-in index carries each control's revision and month updated, though not its statement.
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (String(row.getCell(4).value).startsWith('ISM-')) expect([typeof row.getCell(5).value, row.getCell(6).value]).toEqual(['number', expect.stringMatching(/^[A-Z][a-z]{2}-\d{2}$/)]);
    }
  });

  (hasOpenpyxl ? test : test.skip)('openpyxl reads the data validations, the frozen header and the print titles', () => {
    const read = sheetLayout(annex, SSP_ANNEX_SHEET);
    const last = read.rows;
    expect(read).toEqual({
      validations: [
        [`J2:J${last}`, 'list', `"${ANNEX_RESPONSIBILITIES.join(',')}"`],
        [`K2:K${last}`, 'list', `"${IMPLEMENTATION_STATUSES.join(',')}"`],
      ],
      freeze: 'A2',
      filter: `A1:L${last}`,
      titles: '$1:$1',
      rows: last,
    });
  });
});
