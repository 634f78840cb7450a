import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { useTempDir } from './helpers/tmp';

/** The report options end to end through the compiled CLI (`npm test` builds dist/ first). */
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-render-cli-');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('report options through the CLI', () => {
  const demo = () => path.join(tmp(), 'demo');
  let first: ReturnType<typeof run>;

  beforeAll(() => {
    first = run('demo', '--out', demo(), '--format', 'csv,xlsx', '--system', 'Case Management', '--csv-delimiter', ';', '--csv-bom');
  });

  test('--system, --csv-delimiter and --csv-bom reach the renderers', async () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const controls = readFileSync(path.join(demo(), 'report', 'csv', 'controls.csv'));
    expect([...controls.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(controls.subarray(3, 40).toString('utf8')).toMatch(/^control_id;kind;label;/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(demo(), 'report', 'report.xlsx'));
    const summary: Record<string, unknown> = {};
    workbook.getWorksheet('Summary')!.eachRow((row) => {
      summary[String(row.getCell(1).value)] = row.getCell(2).value;
    });
    expect(summary.System).toBe('Case Management');
    expect(run('verify', path.join(demo(), 'report'))).toMatchObject({ code: 0 });
  });

  test('--compare names the earlier report and lists what changed', () => {
    const out = path.join(tmp(), 'again');
    const r = run('report', path.join(demo(), 'evidence'), '--out', out, '--format', 'csv', '--compare', path.join(demo(), 'report'), '--as-of', '2027-06-30');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = parse(readFileSync(path.join(out, 'csv', 'summary.csv')), { columns: true }) as Record<string, string>[];
    const result = JSON.parse(readFileSync(path.join(demo(), 'report', 'assessment-result.json'), 'utf8'));
    expect(summary.find((s) => s.item === 'Compared with pack id')!.value).toBe(result.pack.packId);
    // Judged a year later, attestations and risk acceptances have expired: their controls changed status.
    const changes = parse(readFileSync(path.join(out, 'csv', 'changes.csv')), { columns: true }) as Record<string, string>[];
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.kind === 'control' && c.change === 'changed')).toBe(true);
  });

  test.each([
    [['--compare', 'no-such-report'], /^auditpack: --compare: .*no-such-report.*manifest\.json: not found/],
    [['--csv-delimiter', ':'], /^auditpack: --csv-delimiter: ":" is not a supported delimiter/],
    [['--csv-profile', 'ciso-assistant'], /^auditpack: --csv-profile: removed; CISO Assistant's files are now written by --format ciso-assistant/],
    [['--format', 'pdf', '--csv-bom'], /^auditpack: --csv-bom: applies to CSV output/],
    [['--system', ' '], /^auditpack: --system: must not be empty/],
  ])('%j is refused with one line and exit 1, writing nothing', (args, message) => {
    const out = path.join(tmp(), `refused-${args[0].slice(2)}`);
    const r = run('report', path.join(demo(), 'evidence'), '--out', out, ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
