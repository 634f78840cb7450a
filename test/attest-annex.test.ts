import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { AssessmentResult } from '../src/assess/result';
import { REQUEST_COLUMNS, REQUESTS_SHEET } from '../src/render/requests';
import { SSP_ANNEX_SHEET } from '../src/render/ssp-annex';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, sampleEstate, startEstateAws, type FakeAws } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * A person's answer of Alternate control or Common control, imported with `attest import`,
 * collected with `--attestations` against a local fake of AWS and reported: the SSP annex shows
 * that value for the control, which auditpack never decides itself; the attestations table and
 * the OSCAL observation say what the attester stated.
 */
const tmp = useTempDir('auditpack-attest-annex-');

/** Controls the sample estate maps no rule to, so an attestation decides them. */
const ANSWERS: [string, string][] = [
  ['ISM-0027', 'Alternate control'],
  ['GOV-01', 'Common control'],
  ['ISM-0039', 'Effective'],
];

let aws: FakeAws;
let report: CliResult;
let result: AssessmentResult;

beforeAll(async () => {
  const estate = await sampleEstate(tmp());
  aws = await startEstateAws(estate);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(REQUESTS_SHEET);
  sheet.addRow(REQUEST_COLUMNS.map((c) => c.name));
  for (const [identifier, implementation] of ANSWERS) {
    const cells: Record<string, string> = { Identifier: identifier, 'Implementation statement': `How ${identifier} is met.`, Implementation: implementation, Attester: 'Sam Lee', Date: '2026-11-20', 'Valid until': '2099-12-31' };
    sheet.addRow(REQUEST_COLUMNS.map((c) => cells[c.name] ?? null));
  }
  mkdirSync(path.join(tmp(), 'answers'));
  await book.xlsx.writeFile(path.join(tmp(), 'answers', 'sam-lee.xlsx'));
  const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: aws.url });
  const imported = await runCli(['attest', 'import', 'answers', '--out', 'attestations'], env, tmp());
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  const collected = await runCli(['collect', '--out', 'pack', '--period', '2026-Q4', '--attestations', 'attestations', '--quiet'], env, tmp());
  expect(collected.stderr).toBe('');
  expect(collected.code).toBe(0);
  report = await runCli(['report', 'pack', '--out', 'report', '--format', 'annex,csv,oscal', '--quiet'], env, tmp());
  result = JSON.parse(readFileSync(path.join(tmp(), 'report', 'assessment-result.json'), 'utf8'));
}, 300_000);
afterAll(() => aws?.close());

describe('an attestation stating its implementation', () => {
  it('is reported (the result still matches its schema)', () => {
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
  });

  it('carries the stated implementation into the pack record and the result', () => {
    expect(result.manualEvidence.attestations.map((a) => [a.id, a.implementation, a.state]).sort()).toEqual(
      ANSWERS.map(([identifier, implementation]) => [`ATT-${identifier}-2026-11-20`, implementation, 'valid']).sort(),
    );
  });

  it('gives an attested control the annex value its attestation states', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(tmp(), 'report', 'ssp-annex.xlsx'));
    const sheet = book.getWorksheet(SSP_ANNEX_SHEET)!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const shown = new Map<string, string>();
    sheet.eachRow((row, n) => {
      if (n > 1) shown.set(String(row.getCell(header.indexOf('Identifier')).value), String(row.getCell(header.indexOf('Implementation')).value));
    });
    for (const [identifier, implementation] of ANSWERS) {
      const control = result.controls.find((c) => (c.label ?? c.id).toUpperCase() === identifier)!;
      expect([identifier, control.status, control.implementation, shown.get(identifier)]).toEqual([identifier, 'attested', implementation, implementation]);
    }
    const alternate = result.controls.find((c) => c.id === 'ism-0027')!;
    expect(alternate.implementationComments).toContain('Attested as Alternate control by Sam Lee on 2026-11-20 (ATT-ISM-0027-2026-11-20)');
  });

  it('lists the stated implementation in csv/attestations.csv and the OSCAL observation', () => {
    const rows: Record<string, string>[] = parse(readFileSync(path.join(tmp(), 'report', 'csv', 'attestations.csv')), { columns: true, bom: true });
    expect(rows.map((r) => [r.attestation_id, r.implementation]).sort()).toEqual(ANSWERS.map(([identifier, implementation]) => [`ATT-${identifier}-2026-11-20`, implementation]).sort());
    const oscal = readFileSync(path.join(tmp(), 'report', 'oscal', 'assessment-results.json'), 'utf8');
    for (const [, implementation] of ANSWERS) expect(oscal).toContain(`Attested by Sam Lee on 2026-11-20 as ${implementation}, valid until 2099-12-31.`);
  });
});
