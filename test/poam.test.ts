import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { AssessmentResult, ControlAssessment } from '../src/assess/result';
import type { EvidencePack } from '../src/evidence/reader';
import { packRows, renderReport, type PackRows } from '../src/render/index';
import { POAM_COLUMNS, POAM_CSV, POAM_FILE, POAM_SHEET, poamRows } from '../src/render/poam';
import { POAM_STATUSES, weaknessOf } from '../src/render/poam/items';
import { addDays } from '../src/util/dates';
import { DEFAULT_POAM_MILESTONES, parsePoamMilestones, SEVERITIES, severityOf } from '../src/render/poam/severity';
import { CONTROLS, renderResult } from './fixtures/render-result';
import { writeRenderPack } from './fixtures/render-pack';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';
import { hasOpenpyxl, sheetLayout } from './helpers/workbook-layout';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..');
const tmp = useTempDir('auditpack-poam-');
const NO_ROWS: PackRows = { available: false, reason: 'absent' };

/** The weaknesses of a result, counted here from the statuses and annex values alone. */
const WEAK_STATUSES = ['non-compliant', 'attestation-expired', 'insufficient-evidence', 'inherited-evidence-missing', 'risk-accepted'];
const weak = (c: ControlAssessment) => WEAK_STATUSES.includes(c.status) || ['Ineffective', 'No visibility'].includes(c.implementation);

const col = (name: string) => POAM_COLUMNS.findIndex((c) => c.name === name) + 1;
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

async function readSheet(file: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.getWorksheet(POAM_SHEET)!;
}

describe('the severity rule and milestones', () => {
  test('failing evidence outranks the rest, and an Essential Eight control outranks one that is not', () => {
    expect(severityOf('noncompliant', ['ML2'])).toBe('high');
    expect(severityOf('noncompliant', [])).toBe('medium');
    for (const kind of ['attestation-expired', 'no-visibility', 'not-implemented'] as const) {
      expect(severityOf(kind, ['ML3'])).toBe('medium');
      expect(severityOf(kind, [])).toBe('low');
    }
  });

  test('--poam-milestones overrides the days of the severities it names and refuses anything else in one line', () => {
    expect(parsePoamMilestones('high=14')).toEqual({ ...DEFAULT_POAM_MILESTONES, high: 14 });
    expect(parsePoamMilestones(' HIGH = 7 , low=365')).toEqual({ high: 7, medium: 90, low: 365 });
    for (const [value, why] of [
      ['high=30,critical=7', '"critical" is not a severity (high, medium, low)'],
      ['high=30,high=40', 'high is given twice'],
      ['medium=0', 'medium=0 is not between 1 and 3650 days'],
      ['low=-3', '"low=-3" is not SEVERITY=DAYS'],
      [',', 'no milestone given'],
    ]) {
      expect(() => parsePoamMilestones(value)).toThrow(`--poam-milestones: ${why}; expected days per severity, e.g. high=30,medium=90,low=180`);
    }
    expect(addDays('2026-11-16', 90)).toBe('2027-02-14');
  });
});

describe('the POA&M of a result', () => {
  let pack: EvidencePack;
  let result: AssessmentResult;
  beforeAll(async () => {
    pack = await writeRenderPack(path.join(tmp(), 'pack'));
    result = renderResult(pack);
  });

  test('has one item per weakness, its id from the control and the kind, never from the pack', async () => {
    const rows = await poamRows(result, await packRows(result, pack.dir));
    expect(rows.map((r) => r.item.control.id).sort()).toEqual(CONTROLS.filter(weak).map((c) => c.id).sort());
    for (const { item } of rows) expect(item.id).toBe(`POAM-${item.control.id}-${weaknessOf(item.control)}`);
    const again = await poamRows({ ...result, pack: { ...result.pack, packId: 'another-pack' } }, NO_ROWS);
    expect(again.map((r) => r.item.id)).toEqual(rows.map((r) => r.item.id));
  });

  test('an accepted risk keeps the weakness it covers, is due when its acceptance expires and names it', async () => {
    const rows = await poamRows(result, NO_ROWS, { high: 1, medium: 2, low: 3 });
    const accepted = rows.find((r) => r.item.control.status === 'risk-accepted')!;
    expect(accepted.item).toMatchObject({ status: 'Risk accepted', due: '2026-09-30', acceptance: { id: 'EXC-7', approvedBy: 'Chief Information Security Officer' } });
    for (const { item } of rows.filter((r) => r !== accepted)) {
      expect(item.status).toBe('Open');
      expect(item.due).toBe(addDays(result.asOf, { high: 1, medium: 2, low: 3 }[item.severity]));
    }
  });

  test('counts distinct failing resources over the pack, and without it counts the findings and says so', async () => {
    const withPack = await poamRows(result, await packRows(result, pack.dir));
    const without = await poamRows(result, NO_ROWS);
    for (const [i, { item, resources }] of withPack.entries()) {
      expect(resources.complete).toBe(true);
      expect(resources.count).toBeGreaterThanOrEqual(without[i].resources.count);
      if (item.kind !== 'noncompliant') expect(resources.count).toBe(0);
    }
    const failing = withPack.find((r) => r.item.control.id === 'ism-0974')!;
    expect(failing.resources.count).toBeGreaterThan(0);
    const partial = without.find((r) => !r.resources.complete);
    if (partial) expect(POAM_COLUMNS[col('Resources affected') - 1].value(partial)).toMatch(/the evidence pack was not available\)$/);
  });

  test('the workbook and the CSV file hold the same items, with the status and severity restricted to their lists', async () => {
    const dir = path.join(tmp(), 'render');
    await mkdir(dir);
    const files = await renderReport(result, await packRows(result, pack.dir), dir, { formats: ['poam'], marking: 'PROTECTED', system: 'Payments' });
    expect(files.map((f) => f.path)).toEqual([POAM_FILE, POAM_CSV]);
    const sheet = await readSheet(path.join(dir, POAM_FILE));
    const csv: Record<string, string>[] = parse(await readFile(path.join(dir, POAM_CSV)), { columns: true });
    expect(files[1].records).toBe(csv.length);
    expect(sheet.rowCount - 1).toBe(csv.length);
    expect(csv.map((r) => r.item_id)).toEqual(Array.from({ length: csv.length }, (_, i) => sheet.getRow(i + 2).getCell(1).value));
    const status = String.fromCharCode(64 + col('Status'));
    const severity = String.fromCharCode(64 + col('Severity'));
    expect(sheet.getCell(`${status}2`).dataValidation).toMatchObject({ type: 'list', formulae: [`"${POAM_STATUSES.join(',')}"`] });
    expect(sheet.getCell(`${severity}${sheet.rowCount}`).dataValidation).toMatchObject({ type: 'list', formulae: [`"${SEVERITIES.join(',')}"`] });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.pageSetup.printTitlesRow).toBe('1:1');
    expect(sheet.headerFooter.oddHeader).toContain('PROTECTED');
    // The owner comes from the result; a control with none shows the gap.
    expect(new Set(csv.map((r) => r.owner))).toEqual(new Set(['Unassigned']));
  });
});

const hasSoffice = spawnSync('soffice', ['--version']).status === 0;

describe('report --format poam on the demo', () => {
  const cli = (...args: string[]) => runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), ...args, '--quiet'], { cwd: ROOT });
  const report = (name: string) => path.join(tmp(), name, 'report');
  beforeAll(async () => {
    for (const [name, seed] of [['demo-a', '1'], ['demo-b', '7']]) {
      const run = await cli('demo', '--out', path.join(tmp(), name), '--format', 'poam', '--seed', seed);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  });

  test('has one item per weakness of the result, and the same id for the same control and weakness in both seeds', async () => {
    const ids: Map<string, string>[] = [];
    for (const name of ['demo-a', 'demo-b']) {
      const result: AssessmentResult = await readJson(path.join(report(name), 'assessment-result.json'));
      const csv: Record<string, string>[] = parse(await readFile(path.join(report(name), POAM_CSV)), { columns: true });
      expect(csv.length).toBe(result.controls.filter(weak).length);
      expect(csv.length).toBeGreaterThan(20);
      ids.push(new Map(csv.map((r) => [`${r.identifier}/${r.weakness}`, r.item_id])));
      for (const r of csv) expect(r.item_id).not.toContain(result.pack.packId);
    }
    const shared = [...ids[0].keys()].filter((k) => ids[1].has(k));
    expect(shared.length).toBeGreaterThan(10);
    for (const key of shared) expect(ids[1].get(key)).toBe(ids[0].get(key));
    const packs = await Promise.all(['demo-a', 'demo-b'].map(async (n) => (await readJson(path.join(report(n), 'assessment-result.json'))).pack.packId));
    expect(packs[0]).not.toBe(packs[1]);
  });

  test('is byte-identical when rendered again from the result', async () => {
    const out = path.join(tmp(), 'again');
    const run = await cli('report', '--from-result', path.join(report('demo-a'), 'assessment-result.json'), '--out', out, '--format', 'poam');
    expect(run.code).toBe(0);
    for (const file of [POAM_FILE, POAM_CSV]) expect((await readFile(path.join(out, file))).equals(await readFile(path.join(report('demo-a'), file)))).toBe(true);
  });

  test('--poam-milestones moves the planned completion dates', async () => {
    const out = path.join(tmp(), 'milestones');
    const run = await cli('report', '--from-result', path.join(report('demo-a'), 'assessment-result.json'), '--out', out, '--format', 'poam', '--poam-milestones', 'high=7,low=365');
    expect(run.code).toBe(0);
    const { asOf } = await readJson(path.join(report('demo-a'), 'assessment-result.json'));
    const csv: Record<string, string>[] = parse(await readFile(path.join(out, POAM_CSV)), { columns: true });
    for (const r of csv.filter((x) => x.status === 'Open')) expect(r.planned_completion).toBe(addDays(asOf, { high: 7, medium: 90, low: 365 }[r.severity as 'high']));
    const bad = await cli('report', '--from-result', path.join(report('demo-a'), 'assessment-result.json'), '--out', path.join(tmp(), 'bad'), '--format', 'poam', '--poam-milestones', 'urgent=1');
    expect([bad.code, bad.stderr.trim().split('\n')]).toEqual([1, [expect.stringMatching(/^auditpack: --poam-milestones: "urgent" is not a severity/)]]);
    expect(existsSync(path.join(tmp(), 'bad'))).toBe(false);
  });

  (hasOpenpyxl ? test : test.skip)('openpyxl reads the data validations, the frozen header, the filter and the print titles', () => {
    const read = sheetLayout(path.join(report('demo-a'), POAM_FILE), POAM_SHEET);
    const letter = (name: string) => String.fromCharCode(64 + col(name));
    expect(read).toEqual({
      validations: [
        [`${letter('Severity')}2:${letter('Severity')}${read.rows}`, 'list', `"${SEVERITIES.join(',')}"`],
        [`${letter('Status')}2:${letter('Status')}${read.rows}`, 'list', `"${POAM_STATUSES.join(',')}"`],
      ].sort(),
      freeze: 'A2',
      filter: `A1:${letter(POAM_COLUMNS[POAM_COLUMNS.length - 1].name)}${read.rows}`,
      titles: '$1:$1',
      rows: read.rows,
    });
  });

  (hasSoffice ? test : test.skip)('LibreOffice opens it and prints it to PDF', async () => {
    const out = path.join(tmp(), 'soffice');
    const run = await runProcess('soffice', [`-env:UserInstallation=file://${path.join(tmp(), 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, path.join(report('demo-a'), POAM_FILE)], { cwd: ROOT });
    expect(run.code).toBe(0);
    const pdf = await readFile(path.join(out, 'poam.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
