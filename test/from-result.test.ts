import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import Ajv from 'ajv';
import ExcelJS from 'exceljs';
import { useTempDir } from './helpers/tmp';

/** `report --from-result` end to end through the compiled CLI (`npm test` builds dist/ first). */
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const SCHEMA = path.join(__dirname, '..', 'docs', 'assessment-result.schema.json');
const tmp = useTempDir('auditpack-from-result-');
const at = (...parts: string[]) => path.join(tmp(), ...parts);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const csv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[];
const manifestPaths = (dir: string): string[] => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).files.map((f: { path: string }) => f.path);
const ALL = ['assessment-result.json', 'report.html', 'report.pdf', 'report.xlsx'];
const FROM_PACK = ['csv/data-residency.csv', 'csv/evidence.csv', 'csv/resources.csv'];

async function summarySheet(file: string): Promise<Record<string, unknown>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: Record<string, unknown> = {};
  workbook.getWorksheet('Summary')!.eachRow((row) => {
    out[String(row.getCell(1).value)] = row.getCell(2).value;
  });
  return out;
}

describe('report --from-result', () => {
  let evaluations: number;

  beforeAll(() => {
    const demo = run('demo', '--out', at('demo'), '--format', 'csv', '--quiet');
    expect(demo.code).toBe(0);
    evaluations = JSON.parse(readFileSync(at('demo', 'evidence', 'manifest.json'), 'utf8')).files.find((f: { path: string }) => f.path === 'config/evaluations.jsonl').records;
    // A copy of the result alone, in a folder with no pack where the result says it is.
    mkdirSync(at('copy'));
    copyFileSync(at('demo', 'report', 'assessment-result.json'), at('copy', 'assessment-result.json'));
  }, 120_000);

  test("the demo's result validates against the published schema with ajv alone", () => {
    const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const result = JSON.parse(readFileSync(at('demo', 'report', 'assessment-result.json'), 'utf8'));
    const valid = validate(result);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
    expect(result.formatVersion).toBe(2);
    expect(result.pack.location).toBe('../evidence');
  });

  test('renders every format from a copied result and the pack named with --pack', async () => {
    const out = at('with-pack');
    const r = run('report', '--from-result', at('copy', 'assessment-result.json'), '--pack', at('demo', 'evidence'), '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(manifestPaths(out)).toEqual(expect.arrayContaining([...ALL, ...FROM_PACK, 'csv/controls.csv']));
    expect(csv(path.join(out, 'csv', 'evidence.csv'))).toHaveLength(evaluations);
    expect(run('verify', out)).toMatchObject({ code: 0 });
    // The statuses are the result's, not assessed again.
    const before = JSON.parse(readFileSync(at('copy', 'assessment-result.json'), 'utf8'));
    const after = JSON.parse(readFileSync(path.join(out, 'assessment-result.json'), 'utf8'));
    expect(after.controls).toEqual(before.controls);
    expect(after.pack.location).toBe('../demo/evidence');
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).not.toContain('tables (every evaluation and resource) are left out');
  }, 300_000);

  test('without the pack, writes every format with the pack tables left out and a note in each saying why', async () => {
    const out = at('without-pack');
    const r = run('report', '--from-result', at('copy', 'assessment-result.json'), '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const note = /The evidence pack \S+ was not found at .*evidence, so the Evidence, Resources and Data residency tables \(every evaluation and resource\) are left out/;
    expect(r.stderr).toMatch(new RegExp(`^auditpack: warning: ${note.source}`));
    const files = manifestPaths(out);
    expect(files).toEqual(expect.arrayContaining([...ALL, 'csv/controls.csv', 'csv/summary.csv']));
    for (const f of FROM_PACK) expect(files).not.toContain(f);
    expect(existsSync(path.join(out, 'csv', 'evidence.csv'))).toBe(false);
    expect(csv(path.join(out, 'csv', 'summary.csv')).find((s) => s.item === 'Evidence rows left out')!.value).toMatch(note);
    expect(String((await summarySheet(path.join(out, 'report.xlsx')))['Evidence rows left out'])).toMatch(note);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(note);
    const pdf = spawnSync('pdftotext', [path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(pdf).toMatch(note);
    expect(run('verify', out)).toMatchObject({ code: 0 });
  }, 300_000);

  test('finds the pack where the result recorded it, relative to the result file', () => {
    const out = at('recorded');
    const r = run('report', '--from-result', at('demo', 'report', 'assessment-result.json'), '--out', out, '--format', 'csv');
    expect(r.stderr).toBe('');
    expect(csv(path.join(out, 'csv', 'evidence.csv'))).toHaveLength(evaluations);
  }, 120_000);

  test('refuses a hand-broken result in one line naming the file and JSON path, writing nothing', () => {
    const result = JSON.parse(readFileSync(at('copy', 'assessment-result.json'), 'utf8'));
    result.controls[3].status = 'great';
    writeFileSync(at('broken.json'), JSON.stringify(result));
    const r = run('report', '--from-result', at('broken.json'), '--out', at('broken-out'), '--format', 'csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^auditpack: --from-result: .*broken\.json: not a valid assessment result: \$\.controls\[3\]\.status: must be equal to one of the allowed values \(.*\)\n$/);
    expect(existsSync(at('broken-out'))).toBe(false);
  }, 60_000);

  test('refuses a pack file that no longer matches the result, naming the file, writing nothing', () => {
    cpSync(at('demo', 'evidence'), at('tampered'), { recursive: true });
    const file = at('tampered', 'config', 'resources.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"region":"us-east-1"', '"region":"us-east-2"'));
    const r = run('report', '--from-result', at('copy', 'assessment-result.json'), '--pack', at('tampered'), '--out', at('tampered-out'), '--format', 'csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^auditpack: .*tampered\/config\/resources\.jsonl: does not match the assessment result \(SHA-256 [0-9a-f]{64}/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(at('tampered-out'))).toBe(false);
  }, 60_000);

  test('refuses the options the result already decided', () => {
    for (const option of [['--baseline', 'SECRET'], ['--as-of', '2027-01-01'], ['--mappings', 'x']]) {
      const r = run('report', '--from-result', at('copy', 'assessment-result.json'), '--out', at('decided'), ...option);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${option[0]}: the result file decided it when it was assessed`);
    }
  });
});
