import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import type { AssessmentResult, ControlAssessment } from '../src/assess/result';
import { filesIn, useTempDir } from './helpers/tmp';
import { addDays } from '../src/util/dates';
import { requestedControls } from '../src/render/requests/reasons';

/** `auditpack requests` through the compiled CLI (`npm run build` first). */
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'auditpack.js');
const SAMPLE_MAPPINGS = path.join(ROOT, 'mappings', 'sample');
const tmp = useTempDir('auditpack-requests-');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DEMO = () => path.join(tmp(), 'demo');
const OUT = () => path.join(tmp(), 'out');
const SYSTEM_FILE = () => path.join(tmp(), 'owners.yaml');
const HARDENING = 'Guidelines for system hardening';
const NETWORKING = 'Guidelines for networking';
const FILE_OF: Record<string, string> = { [HARDENING]: 'sam-lee.xlsx', [NETWORKING]: 'priya-shah.xlsx' };
const WINDOW_DAYS = 400;


/** The reasons docs/requests.md gives for a control, worked out here from the result alone. */
function expectedReasons(c: ControlAssessment, asOf: string): string[] {
  const horizon = addDays(asOf, WINDOW_DAYS);
  const lapse = (records: { until: string; expired: boolean }[]) => {
    const current = records.filter((r) => !r.expired);
    if (!records.length) return null;
    if (!current.length) return 'expired';
    return current.every((r) => r.until <= horizon) ? 'expiring' : null;
  };
  const att = lapse(c.evidence.attestations.map((a) => ({ until: a.validUntil, expired: a.expired })));
  const acc = lapse(c.evidence.exceptions.map((e) => ({ until: e.expiresOn, expired: e.expired })));
  return [
    c.status === 'not-assessed' && 'Not assessed',
    (c.status === 'attestation-expired' || att === 'expired') && 'Attestation expired',
    att === 'expiring' && 'Attestation expiring',
    c.status === 'insufficient-evidence' && 'Insufficient evidence',
    acc === 'expired' && 'Risk acceptance expired',
    acc === 'expiring' && 'Risk acceptance expiring',
  ].filter((r): r is string => typeof r === 'string');
}

const identifier = (c: ControlAssessment) => (c.kind === 'principle' && c.label ? c.label.toUpperCase() : c.id.toUpperCase());

async function readBook(file: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book;
}

let result: AssessmentResult;

beforeAll(() => {
  const demo = run('demo', '--out', DEMO(), '--format', 'csv', '--quiet');
  expect(demo.code).toBe(0);
  result = JSON.parse(readFileSync(path.join(DEMO(), 'report', 'assessment-result.json'), 'utf8'));
  writeFileSync(
    SYSTEM_FILE(),
    `owners:\n  guidelines:\n    ${HARDENING}: { name: Sam Lee, role: Platform lead, email: sam.lee@agency.gov.au }\n    ${NETWORKING}: { name: Priya Shah, email: priya.shah@agency.gov.au }\n`,
  );
  const r = run('requests', path.join(DEMO(), 'evidence'), '--mappings', SAMPLE_MAPPINGS, '--config', SYSTEM_FILE(), '--out', OUT(), '--due', '2027-01-31', '--expiring-within', `${WINDOW_DAYS}d`);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 300_000);

describe('auditpack requests', () => {
  it('writes one workbook per owner by guideline, the controls no owner covers in unassigned.xlsx', () => {
    expect(filesIn(OUT()).sort()).toEqual(['priya-shah.xlsx', 'requests.csv', 'sam-lee.xlsx', 'unassigned.xlsx']);
  });

  it('requests every control that needs evidence, for its reasons, in its owner\'s workbook', async () => {
    const expected = new Map(
      result.controls.flatMap((c) => {
        const reasons = expectedReasons(c, result.asOf);
        return reasons.length ? [[identifier(c), { file: FILE_OF[c.guideline] ?? 'unassigned.xlsx', reasons, control: c }] as const] : [];
      }),
    );
    // Every kind of reason the demo can give is exercised.
    const kinds = new Set([...expected.values()].flatMap((e) => e.reasons));
    expect([...kinds].sort()).toEqual(['Attestation expired', 'Attestation expiring', 'Insufficient evidence', 'Not assessed', 'Risk acceptance expiring']);
    const seen = new Map<string, { file: string; reasons: string[] }>();
    for (const file of ['priya-shah.xlsx', 'sam-lee.xlsx', 'unassigned.xlsx']) {
      const sheet = (await readBook(path.join(OUT(), file))).getWorksheet('Requests')!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 5)).toEqual(['Identifier', 'Guideline', 'Section', 'Topic', 'Requested because']);
      for (let n = 2; n <= sheet.rowCount; n++) {
        const row = sheet.getRow(n);
        const id = String(row.getCell(1).value);
        expect(seen.has(id)).toBe(false);
        seen.set(id, { file, reasons: String(row.getCell(5).value).split('\n') });
        const e = expected.get(id);
        expect(row.getCell(2).value).toBe(e?.control.guideline);
        // Last quarter's answer: the control's attestation valid longest.
        const last = result.manualEvidence.attestations.filter((a) => a.controlIds.includes(e!.control.id)).sort((a, b) => (a.validUntil < b.validUntil ? 1 : -1))[0];
        expect(row.getCell(6).value ?? null).toBe(last?.statement ?? null);
        expect(row.getCell(7).value ?? null).toBe(last?.attester ?? null);
      }
    }
    expect(new Map([...seen].sort())).toEqual(new Map([...expected].map(([id, e]) => [id, { file: e.file, reasons: e.reasons }] as const).sort()));
  });

  it('marks the owner\'s columns, restricts Implementation to the annex values, freezes and filters the header', async () => {
    const sheet = (await readBook(path.join(OUT(), 'sam-lee.xlsx'))).getWorksheet('Requests')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const filled = ['Implementation statement', 'Implementation', 'Attester', 'Date', 'Valid until', 'Attachments'];
    expect(header.slice(-filled.length)).toEqual(filled);
    for (const name of filled) expect(sheet.getRow(1).getCell(header.indexOf(name) + 1).note).toBeTruthy();
    expect(sheet.getRow(1).getCell(1).note).toBeUndefined();
    const column = header.indexOf('Implementation') + 1;
    for (const n of [2, sheet.rowCount]) {
      const v = sheet.getRow(n).getCell(column).dataValidation;
      expect(v.type).toBe('list');
      expect(v.formulae).toEqual([`"${IMPLEMENTATION_STATUSES.join(',')}"`]);
    }
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.headerFooter.oddHeader).toContain('PROTECTED');
  });

  it('writes requests.csv with one row per workbook row', async () => {
    const lines = readFileSync(path.join(OUT(), 'requests.csv'), 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('owner_name,owner_email,file,identifier,reason,due');
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const file of ['priya-shah.xlsx', 'sam-lee.xlsx', 'unassigned.xlsx']) {
      const sheet = (await readBook(path.join(OUT(), file))).getWorksheet('Requests')!;
      const ids = [];
      for (let n = 2; n <= sheet.rowCount; n++) ids.push(String(sheet.getRow(n).getCell(1).value));
      const mine = rows.filter((r) => r[2] === file);
      expect(mine.map((r) => r[3])).toEqual(ids);
      expect(new Set(mine.map((r) => r[5]))).toEqual(new Set(['2027-01-31']));
    }
    expect(rows.find((r) => r[2] === 'sam-lee.xlsx')!.slice(0, 2)).toEqual(['Sam Lee', 'sam.lee@agency.gov.au']);
    expect(rows.find((r) => r[2] === 'unassigned.xlsx')!.slice(0, 2)).toEqual(['', '']);
  });

  it('writes the same bytes when run again, from the pack or the report folder alike', () => {
    const again = path.join(tmp(), 'again');
    const r = run('requests', path.join(DEMO(), 'evidence'), '--mappings', SAMPLE_MAPPINGS, '--config', SYSTEM_FILE(), '--out', again, '--due', '2027-01-31', '--expiring-within', `${WINDOW_DAYS}d`);
    expect(r.code).toBe(0);
    for (const f of filesIn(OUT())) expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(OUT(), f)))).toBe(true);
    const fromReport = path.join(tmp(), 'from-report');
    expect(run('requests', path.join(DEMO(), 'report'), '--out', fromReport, '--expiring-within', `${WINDOW_DAYS}d`).code).toBe(0);
    // The demo's report names no owners: everything goes to the unassigned workbook.
    expect(filesIn(fromReport).sort()).toEqual(['requests.csv', 'unassigned.xlsx']);
  });

  it.each([
    [['--due', '2027-02-30'], /^auditpack: --due: "2027-02-30" is not a calendar date/],
    [['--expiring-within', '30'], /^auditpack: --expiring-within: "30" is not a number of days/],
    [['--expiring-within=-5d'], /^auditpack: --expiring-within: "-5d"/],
    [['--owner', 'Jane Citizen'], /^auditpack: --owner: applies to assessing a pack, but .* is a report folder/],
  ])('refuses %j in one line, writing nothing', (args, message) => {
    const out = path.join(tmp(), 'bad');
    const r = run('requests', path.join(DEMO(), 'report'), '--out', out, ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('warns, as report does, of a --marking below the baseline\'s classification, and still writes', () => {
    const r = run('requests', path.join(DEMO(), 'report'), '--out', path.join(tmp(), 'official'), '--marking', 'OFFICIAL');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^auditpack: warning: .*; give --marking PROTECTED or higher\n$/);
    expect(existsSync(path.join(tmp(), 'official', 'requests.csv'))).toBe(true);
  });

  it('refuses an existing --out, leaving it as it was', () => {
    const before = readFileSync(path.join(OUT(), 'requests.csv'));
    const r = run('requests', path.join(DEMO(), 'report'), '--out', OUT());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    expect(readFileSync(path.join(OUT(), 'requests.csv')).equals(before)).toBe(true);
  });
});

describe('a record collect --carry-forward left for renewal', () => {
  // The earlier pack's expired attestation is not in the new pack: only its manifest entry says it lapsed.
  const renewing = (controlId: string): AssessmentResult => ({
    ...result,
    pack: {
      ...result.pack,
      carryForward: {
        from: { packId: 'earlier', period: '2026-Q3', manifestSha256: '0'.repeat(64) },
        judgedAt: result.asOf,
        carried: [],
        replaced: [],
        needsRenewal: [{ kind: 'attestation', id: 'ATT-LAPSED', controlIds: [controlId], until: addDays(result.asOf, -10) }],
      },
    },
  });
  const reasonsFor = (r: AssessmentResult, id: string) => requestedControls(r, 30).find((c) => c.control.id === id)?.reasons ?? [];

  it('asks for the attestation again, not merely as not assessed', () => {
    const control = result.controls.find((c) => c.status === 'not-assessed' && !c.evidence.attestations.length)!;
    expect(reasonsFor(result, control.id)).toEqual(['not-assessed']);
    expect(reasonsFor(renewing(control.id), control.id)).toEqual(['not-assessed', 'attestation-expired']);
  });

  it('asks nothing when the control holds a newer attestation valid beyond the window', () => {
    const control = result.controls.find((c) => c.status === 'attested' && c.evidence.attestations.some((a) => !a.expired && a.validUntil > addDays(result.asOf, 30)))!;
    expect(reasonsFor(renewing(control.id), control.id)).toEqual([]);
  });
});
