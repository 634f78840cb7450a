import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { AssessmentResult } from '../src/assess/result';
import type { EvidenceRecord } from '../src/evidence/kinds';
import { openPack } from '../src/evidence/reader';
import { addDays } from '../src/util/dates';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, packData, startDataAws, type FakeAws } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * The quarterly cycle of the README, end to end through the compiled CLI (`npm run build`
 * first): last quarter's pack and report (the demo), evidence requests per owner, one owner's
 * workbook filled in as they would fill it, the answers imported as attestations, this quarter's
 * collection from the fake AWS holding the same estate (with the answers and last quarter's
 * still valid attestations carried forward), its report, and the diff between the quarters.
 */
const ROOT = path.join(__dirname, '..');
const SAMPLE_MAPPINGS = path.join(ROOT, 'mappings', 'sample');
const CYCLE_TIMEOUT_MS = 600_000;
const tmp = useTempDir('auditpack-cycle-');
const at = (...parts: string[]) => path.join(tmp(), ...parts);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The system file in the working directory, as `init` would have it filled in: two owners. */
const SYSTEM_FILE = [
  'system: Case Management System',
  'agency: Department of Sample Affairs',
  'owners:',
  '  default: { name: Jane Citizen, role: CISO, email: jane.citizen@agency.gov.au }',
  '  guidelines:',
  '    Guidelines for system hardening: { name: Sam Lee, role: Platform team lead, email: sam.lee@agency.gov.au }',
  '',
].join('\n');
const WORKBOOK = 'sam-lee.xlsx';
const ATTACHMENT = 'soe-build-review.md';
const ATTACHMENT_TEXT = '# SOE build review\n\nReviewed the standard operating environment build against the hardening guide.\n';
const ATTESTER = 'Sam Lee, Platform team lead';

let env: NodeJS.ProcessEnv;
let aws: FakeAws;

/** Runs a step of the cycle in the working directory of the system file: it must succeed without a word on stderr. */
async function step(...args: string[]): Promise<CliResult> {
  const r = await runCli(args, env, tmp());
  expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: '', code: 0 });
  return r;
}

/** The header's column numbers by name (REQUEST_COLUMNS' names, docs/requests.md). */
function columns(sheet: ExcelJS.Worksheet): Map<string, number> {
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  return new Map(header.map((name, i) => [String(name), i + 1]));
}

/** The identifiers of the rows requested for exactly these reasons, in sheet order. */
function rowsRequestedFor(sheet: ExcelJS.Worksheet, reasons: string): string[] {
  const col = columns(sheet);
  const ids: string[] = [];
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    if (row.getCell(col.get('Requested because')!).value === reasons) ids.push(String(row.getCell(col.get('Identifier')!).value));
  }
  return ids;
}

/** What an owner writes in a row's shaded cells (the Implementation statement is made from the control). */
interface Answer {
  identifier: string;
  implementation: string;
  attachments?: string;
}

const statementOf = (identifier: string) => `${identifier} is implemented in the standard operating environment build, reviewed each quarter.`;

/** Fills the owner's cells of the answered rows, as the owner would in Excel; the other rows stay blank. */
function fill(sheet: ExcelJS.Worksheet, answers: Answer[], dates: { attestedOn: string; validUntil: string }): void {
  const col = columns(sheet);
  const asDate = (d: string) => new Date(`${d}T00:00:00Z`);
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    const answer = answers.find((a) => a.identifier === row.getCell(col.get('Identifier')!).value);
    if (!answer) continue;
    row.getCell(col.get('Implementation statement')!).value = statementOf(answer.identifier);
    row.getCell(col.get('Implementation')!).value = answer.implementation;
    row.getCell(col.get('Attester')!).value = ATTESTER;
    row.getCell(col.get('Date')!).value = asDate(dates.attestedOn);
    row.getCell(col.get('Valid until')!).value = asDate(dates.validUntil);
    if (answer.attachments) row.getCell(col.get('Attachments')!).value = answer.attachments;
  }
}

/** The pack's accounts and Regions as collect options: the caller's account, and a role in each other one. */
function estateOptions(manifest: { scope: { accounts: { accountId: string }[]; regions: string[] } }): string[] {
  const [, ...others] = manifest.scope.accounts;
  return ['--regions', manifest.scope.regions.join(','), ...others.flatMap((a) => ['--role-arn', `arn:aws:iam::${a.accountId}:role/auditpack-collect`])];
}

interface DiffControl {
  id: string;
  status: { old: string | null; new: string | null };
  implementation: { old: string | null; new: string | null };
}
interface DiffAttestation {
  id: string;
  controlIds: string[];
  attester: string;
}
interface Diff {
  controls: DiffControl[];
  attestations: Record<'new' | 'expired' | 'renewed' | 'removed', DiffAttestation[]>;
}

const ism = (identifier: string) => identifier.toLowerCase();

/** The id attest import gives an answer (docs/attest-import.md): the identifier and the day attested. */
const idOf = (a: Answer) => `ATT-${a.identifier}-${dates.attestedOn}`;

let answered: Answer[];
let notImplemented: string;
let blankRows: number;
let imported: CliResult;
let dates: { attestedOn: string; validUntil: string };
let diff: Diff;
let attestations: EvidenceRecord<'attestations'>[];
/** The attestations of last quarter that had expired by this quarter's collection, so were not carried. */
let needingRenewal: string[];
/** Last quarter's attestations, and the day this quarter's collection judged their validity at. */
let lastQuarterAttestations: EvidenceRecord<'attestations'>[];
let judgedAt: string;
/** The controls of those attestations. */
let renewalControls: string[];
/** Next quarter's requests: the reasons of each requested control. */
let nextRequests: Map<string, string[]>;

beforeAll(async () => {
  writeFileSync(at('auditpack.yaml'), SYSTEM_FILE);
  // Last quarter: the sample estate's pack and report.
  env = awsEnv({});
  await step('demo', '--out', 'demo', '--format', 'csv', '--quiet');
  const lastQuarter = await openPack(at('demo', 'evidence'));
  // This quarter AWS holds the same estate: the fake serves the demo's pack.
  aws = await startDataAws(await packData(at('demo', 'evidence')));
  env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: aws.url });

  // Evidence requests from last quarter's report, one workbook per owner.
  await step('requests', 'demo/report', '--out', 'requests', '--due', '2027-01-31');

  // Sam Lee answers three controls nobody had assessed (one with a file), declines one, leaves the rest blank.
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(at('requests', WORKBOOK));
  const sheet = book.getWorksheet('Requests')!;
  const notAssessed = rowsRequestedFor(sheet, 'Not assessed');
  answered = [
    { identifier: notAssessed[0], implementation: 'Effective', attachments: ATTACHMENT },
    { identifier: notAssessed[1], implementation: 'Effective' },
    { identifier: notAssessed[2], implementation: 'Alternate control' },
  ];
  notImplemented = notAssessed[3];
  // Dated around today: this quarter's collection is now, and expiry is judged at its day.
  const today = new Date().toISOString().slice(0, 10);
  dates = { attestedOn: addDays(today, -1), validUntil: addDays(today, 365) };
  fill(sheet, [...answered, { identifier: notImplemented, implementation: 'Not implemented' }], dates);
  blankRows = sheet.rowCount - 1 - (answered.length + 1);
  mkdirSync(at('returned'));
  await book.xlsx.writeFile(at('returned', WORKBOOK));
  writeFileSync(at('returned', ATTACHMENT), ATTACHMENT_TEXT);

  // The answers back in, as attestations collect reads (attachments found beside the workbook).
  imported = await step('attest', 'import', `returned/${WORKBOOK}`, '--out', 'answers-2027-Q1');

  // This quarter's pack: the estate again, the new answers, last quarter's still valid ones carried.
  await step('collect', '--out', 'packs/2027-Q1', '--period', '2027-Q1', ...estateOptions(lastQuarter.manifest),
    '--attestations', 'answers-2027-Q1', '--carry-forward', 'demo/evidence', '--quiet');
  // Assessed as the demo assessed last quarter: with the sample agency's mappings.
  await step('report', 'packs/2027-Q1', '--out', 'reports/2027-Q1', '--format', 'csv', '--mappings', SAMPLE_MAPPINGS);
  diff = JSON.parse((await step('diff', 'demo/report', 'reports/2027-Q1', '--json')).stdout) as Diff;
  const pack = await openPack(at('packs', '2027-Q1'));
  attestations = [];
  for await (const a of pack.records('attestations')) attestations.push(a);
  judgedAt = pack.manifest.carryForward!.judgedAt;
  lastQuarterAttestations = [];
  for await (const a of lastQuarter.records('attestations')) lastQuarterAttestations.push(a);
  const renewals = (pack.manifest.carryForward?.needsRenewal ?? []).filter((r) => r.kind === 'attestation');
  needingRenewal = renewals.map((r) => r.id);
  renewalControls = [...new Set(renewals.flatMap((r) => r.controlIds))];

  // Next quarter's requests, from this quarter's report.
  await step('requests', 'reports/2027-Q1', '--out', 'requests-2027-Q2');
  nextRequests = new Map();
  for (const file of readdirSync(at('requests-2027-Q2')).filter((f) => f.endsWith('.xlsx'))) {
    const next = new ExcelJS.Workbook();
    await next.xlsx.readFile(at('requests-2027-Q2', file));
    const requests = next.getWorksheet('Requests')!;
    const col = columns(requests);
    for (let n = 2; n <= requests.rowCount; n++) {
      const row = requests.getRow(n);
      nextRequests.set(ism(String(row.getCell(col.get('Identifier')!).value)), String(row.getCell(col.get('Requested because')!).value).split('\n'));
    }
  }
}, CYCLE_TIMEOUT_MS);
afterAll(() => aws?.close());

describe('the quarterly cycle through the CLI', () => {
  it('imports the answered rows, lists the declined one and counts the blank ones', () => {
    const source = `returned/${WORKBOOK}`;
    expect(imported.stdout).toContain(`${source}: ${answered.length} attestations written, ${blankRows} blank rows skipped, 1 answer not written\n`);
    expect(imported.stdout).toMatch(new RegExp(`^  ${notImplemented} \\(${source}:Requests!J\\d+\\): answered Not implemented: no attestation written`, 'm'));
    const withFile = idOf(answered[0]);
    expect(imported.stdout).toContain(`  ${withFile}.yaml: attachments/${withFile}/${ATTACHMENT} sha256 ${sha256(ATTACHMENT_TEXT)}`);
  });

  it('collects this quarter with the imported answers and last quarter\'s carried forward', async () => {
    for (const a of answered) {
      const mine = attestations.filter((r) => r.controlIds.includes(ism(a.identifier)));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ id: idOf(a), controlIds: [ism(a.identifier)], statement: statementOf(a.identifier), implementation: a.implementation, attester: ATTESTER, ...dates });
      expect(mine[0].carriedForwardFrom).toBeUndefined();
    }
    const [withFile] = attestations.filter((r) => r.controlIds.includes(ism(answered[0].identifier)));
    expect(withFile.attachments).toEqual([expect.objectContaining({ name: ATTACHMENT, sha256: sha256(ATTACHMENT_TEXT) })]);
    expect(readFileSync(at('packs', '2027-Q1', 'attachments', sha256(ATTACHMENT_TEXT)), 'utf8')).toBe(ATTACHMENT_TEXT);
    // Each of last quarter's attestations is carried if still valid on the day collection judged, else listed for renewal
    // (which ones depends on today's date: the demo's dates are fixed).
    const valid = lastQuarterAttestations.filter((a) => a.validUntil >= judgedAt).map((a) => a.id);
    expect(attestations.filter((r) => r.carriedForwardFrom).map((r) => r.id).sort()).toEqual(valid.sort());
    expect([...needingRenewal].sort()).toEqual(lastQuarterAttestations.filter((a) => a.validUntil < judgedAt).map((a) => a.id).sort());
    expect(attestations.some((r) => r.controlIds.includes(ism(notImplemented)))).toBe(false);
  });

  it('shows in the diff exactly the answered controls moving from not assessed to attested', () => {
    for (const a of answered) {
      expect(diff.controls.find((c) => c.id === ism(a.identifier))).toEqual({
        id: ism(a.identifier),
        status: { old: 'not-assessed', new: 'attested' },
        // The owner's Alternate control is recorded in the annex as they stated it.
        implementation: { old: 'Not assessed', new: a.implementation },
      });
    }
    expect(diff.controls.find((c) => c.id === ism(notImplemented))).toBeUndefined();
    // No other control of the workbook became attested: the blank rows stay as they were.
    const mine = new Set(answered.map((a) => ism(a.identifier)));
    const newlyAttested = diff.controls.filter((c) => c.status.old === 'not-assessed' && c.status.new === 'attested').map((c) => c.id);
    expect(newlyAttested.sort()).toEqual([...mine].sort());
    // The new answers are new attestations; of last quarter's, only those expired (not carried) are gone.
    expect(diff.attestations.new.map((a) => [a.id, a.controlIds, a.attester])).toEqual(answered.map((a) => [idOf(a), [ism(a.identifier)], ATTESTER]).sort());
    expect(diff.attestations.removed.map((a) => a.id)).toEqual([...needingRenewal].sort());
  });

  it('asks next quarter for the renewal of the attestations collect left behind, and not for the answered controls', () => {
    // Those of the baseline that no other attestation still covers (the demo's dates are fixed, so which depends on today).
    const thisQuarter: AssessmentResult = JSON.parse(readFileSync(at('reports', '2027-Q1', 'assessment-result.json'), 'utf8'));
    const lapsed = renewalControls.filter((id) => thisQuarter.controls.find((c) => c.id === id)?.evidence.attestations.every((a) => a.expired));
    expect(lapsed.length).toBeGreaterThan(0);
    for (const id of lapsed) expect({ id, reasons: nextRequests.get(id) }).toEqual({ id, reasons: expect.arrayContaining(['Attestation expired']) });
    for (const a of answered) expect(nextRequests.has(ism(a.identifier))).toBe(false);
  });
});
