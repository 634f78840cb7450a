import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ANNEX_RESPONSIBILITIES, IMPLEMENTATION_STATUSES, type ImplementationStatus } from '../src/assess/annex';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

/**
 * What the demo shows, through the compiled CLI: a mostly compliant estate with a few findings,
 * a realistic attested share, an approved not-applicable declaration, and, with another seed,
 * other outcomes over the same accounts and resources.
 */
const tmp = useTempDir();
const ROOT = path.join(__dirname, '..');

const demo = async (...args: string[]) => {
  const run = await runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), 'demo', '--format', 'csv', ...args], { cwd: ROOT });
  expect([run.code, run.stderr]).toEqual([0, '']);
  return run.stdout;
};
const rows = (report: string, file: string): Record<string, string>[] => parse(readFileSync(path.join(report, 'csv', file), 'utf8'), { columns: true, bom: true });
const first = () => path.join(tmp(), 'seed-1', 'report');
const second = () => path.join(tmp(), 'seed-2', 'report');

beforeAll(async () => {
  await demo('--out', path.join(tmp(), 'seed-1'));
  await demo('--seed', '2', '--out', path.join(tmp(), 'seed-2'), '--compare', first());
}, 300_000);

it('shows most rule-backed controls compliant, a few failing, and not-assessed well under 80%', () => {
  const controls = rows(first(), 'controls.csv');
  const ruleBacked = controls.filter((c) => c.rule_identifiers);
  const count = (list: typeof controls, status: string) => list.filter((c) => c.status === status).length;
  expect(count(ruleBacked, 'compliant')).toBeGreaterThan(count(ruleBacked, 'non-compliant'));
  expect(count(ruleBacked, 'non-compliant')).toBeGreaterThan(3);
  expect(count(controls, 'not-assessed') / controls.length).toBeLessThan(0.7);
  // Nothing compliant without evidence: every compliant control names its rules, every attested one its attestation or check.
  for (const c of controls.filter((x) => x.status === 'compliant')) expect(c.rule_identifiers).not.toBe('');
  for (const c of controls.filter((x) => x.status === 'attested')) expect(c.attestation_ids || c.process_checks).toBeTruthy();
  expect(count(controls, 'attested')).toBeGreaterThanOrEqual(150);
});

it('keeps the fixed findings: root without hardware MFA, the public website bucket, the stray bucket and the stopped recorder', () => {
  const controls = new Map(rows(first(), 'controls.csv').map((c) => [c.control_id, c]));
  expect(controls.get('ism-1682')!.rationale).toContain('ROOT_ACCOUNT_HARDWARE_MFA_ENABLED');
  expect(controls.get('ism-1852')!.rationale).toContain('S3_BUCKET_PUBLIC_READ_PROHIBITED');
  expect(controls.get('ism-1572')!.status).toBe('non-compliant');
  expect([...controls.values()].some((c) => c.status === 'insufficient-evidence' && /ap-southeast-4 where the configuration recorder was not recording/.test(c.rationale))).toBe(true);
});

it('gives every control one of the eight SSP annex values, Not assessed only where it was not assessed, and comments from its evidence', () => {
  const controls = rows(first(), 'controls.csv');
  for (const c of controls) {
    expect([c.control_id, IMPLEMENTATION_STATUSES.includes(c.implementation as ImplementationStatus)]).toEqual([c.control_id, true]);
    expect([c.control_id, c.implementation === 'Not assessed']).toEqual([c.control_id, c.status === 'not-assessed']);
    expect(ANNEX_RESPONSIBILITIES).toContain(c.annex_responsibility);
    expect(c.implementation_comments).toMatch(/Evidence as of \d{4}-\d{2}-\d{2}\.$/);
  }
  const byValue = (value: string) => controls.filter((c) => c.implementation === value).length;
  expect(byValue('Effective')).toBeGreaterThan(byValue('Ineffective'));
  expect(byValue('Common control')).toBeGreaterThan(0);
  const summary = new Map(rows(first(), 'summary.csv').map((r) => [r.item, r.value]));
  for (const value of IMPLEMENTATION_STATUSES) expect([value, summary.get(`SSP annex implementation: ${value}`)]).toEqual([value, String(byValue(value))]);
  const failing = controls.find((c) => c.control_id === 'ism-1852')!;
  expect(failing.implementation).toBe('Ineffective');
  expect(failing.implementation_comments).toContain('S3_BUCKET_PUBLIC_READ_PROHIBITED');
});

it('declares controls not applicable with the approver and date', () => {
  const declared = rows(first(), 'controls.csv').filter((c) => c.status === 'not-applicable');
  expect(declared.length).toBeGreaterThan(0);
  for (const c of declared) expect(c.rationale).toMatch(/^Declared not applicable by .+ on \d{4}-\d{2}-\d{2}: /);
});

it('follows most S3, RDS and EC2 practices and breaks a few', () => {
  const practices = rows(first(), 'practices.csv');
  const count = (status: string) => practices.filter((p) => p.status === status).length;
  const broken = count('partly') + count('not-followed');
  expect(count('followed')).toBeGreaterThan(broken);
  expect(broken).toBeGreaterThanOrEqual(3);
  expect(practices.find((p) => p.practice === 'object-lock')!.status).not.toBe('followed');
  for (const p of practices.filter((x) => x.status === 'not-evidenced')) expect(p.rules_to_deploy || p.manual_evidence).toBeTruthy();
});

it('with another seed, varies statuses over the same accounts and resources', () => {
  expect(readFileSync(path.join(second(), 'csv', 'accounts.csv'), 'utf8')).toBe(readFileSync(path.join(first(), 'csv', 'accounts.csv'), 'utf8'));
  expect(readFileSync(path.join(second(), 'csv', 'resources.csv'), 'utf8')).toBe(readFileSync(path.join(first(), 'csv', 'resources.csv'), 'utf8'));
  const changes = rows(second(), 'changes.csv');
  expect(changes.filter((c) => c.kind === 'control' && c.change === 'changed').length).toBeGreaterThan(0);
  expect(changes.filter((c) => c.kind !== 'control')).toEqual([]);
});
