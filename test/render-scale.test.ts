import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import { STATUSES, type AssessmentResult, type ControlAssessment, type Finding } from '../src/assess/result';
import { RESPONSIBILITIES } from '../src/mapping/responsibility';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import { PackWriter } from '../src/evidence/writer';
import { packRows, renderReport } from '../src/render/index';
import { readPdfStructure } from '../src/render/pdf-outline';
import { num } from '../src/render/view/format';
import { LIMITS } from '../src/render/view/limits';
import { packFacts, renderResult, ruleEvidence } from './fixtures/render-result';

/**
 * The PDF's length must follow the baseline, not the estate: every list that grows with accounts,
 * resources, findings, gaps or manual records is cut in the PDF (and complete in XLSX/CSV).
 * The same 40 controls are rendered for an estate already past every cut and for one three times
 * larger: the PDF must not grow.
 */
const CONTROL_COUNT = 40;
const LARGE = 100;
const HUGE = 300;

const account = (n: number) => String(100000000000 + n);

async function writeScaledPack(dir: string, scale: number): Promise<EvidencePack> {
  const w = await PackWriter.create(dir);
  for (let i = 0; i < 20 * scale; i++) {
    await w.write('resources', { accountId: account(i % (30 * scale)), region: i % 2 ? 'us-west-2' : 'eu-west-1', resourceType: 'AWS::S3::Bucket', resourceId: `stray-${i}`, resourceName: null, arn: null });
  }
  for (let i = 0; i < 3 * scale; i++) {
    const common = { controlIds: ['ism-1000'], attachments: [] };
    await w.write('attestations', { id: `ATT-${i}`, statement: `Attestation number ${i} covers the control.`, attester: 'A. Person', attestedOn: '2026-01-01', validUntil: '2026-12-31', ...common });
    await w.write('exceptions', { id: `EXC-${i}`, owner: 'An Owner', rationale: `Risk ${i} is accepted.`, approvedBy: 'The CISO', approvedOn: '2026-01-01', expiresOn: '2026-12-31', ...common });
  }
  const at = '2026-03-31T00:00:00Z';
  await w.commit({
    packId: `scale-${scale}`,
    period: '2026-Q1',
    sample: true,
    organisation: 'Scale Test Agency',
    scope: { accounts: Array.from({ length: 30 * scale }, (_, i) => ({ accountId: account(i), name: `account-${i}` })), regions: ['ap-southeast-2', 'us-west-2'] },
    collectors: [{ name: 'config', startedAt: at, completedAt: at }],
    startedAt: at,
    completedAt: at,
    gaps: Array.from({ length: 2 * scale }, (_, i) => ({
      collector: 'config',
      service: 'config',
      operation: 'GetComplianceDetailsByConfigRule',
      accountId: account(i),
      region: 'ap-southeast-2',
      errorCode: 'ThrottlingException',
      message: 'Rate exceeded',
    })),
  });
  return openPack(dir);
}

function scaledResult(pack: EvidencePack, scale: number): AssessmentResult {
  const finding = (c: number, i: number): Finding => ({
    accountId: account(i),
    region: 'ap-southeast-2',
    ruleName: `rule-${i}`,
    sourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED',
    resourceType: 'AWS::S3::Bucket',
    resourceId: `bucket-${c}-${i}`,
    annotation: 'The bucket allows public read access.',
    resultRecordedTime: '2026-03-30T00:00:00Z',
    file: 'config/evaluations.jsonl',
    line: i + 1,
    otherRules: [],
  });
  const controls: ControlAssessment[] = Array.from({ length: CONTROL_COUNT }, (_, c) => ({
    id: `ism-${1000 + c}`,
    kind: 'control',
    guideline: `Guidelines for scale ${Math.floor(c / 10)}`,
    section: `Section ${Math.floor(c / 5)}`,
    topic: `Topic ${c}`,
    owner: null,
    label: null,
    title: null,
    revision: 1,
    updated: 'Dec-25',
    applicability: ['OS', 'P'],
    essentialEight: [],
    statement: null,
    responsibility: 'customer',
    responsibilityByCategory: { abstracted: 'customer' },
    awsHalf: null,
    status: 'non-compliant',
    implementation: 'Ineffective',
    annexResponsibility: 'Customer-specific',
    implementationComments: `AWS Config evaluated 1 mapped managed rule: ${25 * scale} non-compliant distinct results.`,
    rationale: `S3_BUCKET_PUBLIC_READ_PROHIBITED found ${25 * scale} publicly readable buckets.`,
    evidence: {
      rules: [ruleEvidence({ sourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED', ruleNames: Array.from({ length: 30 * scale }, (_, i) => `rule-${i}`), counts: { COMPLIANT: 10 * scale, NON_COMPLIANT: 25 * scale, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } })],
      supportingRules: [],
      byLocation: Array.from({ length: 30 * scale }, (_, i) => ({ accountId: account(i), region: 'ap-southeast-2', counts: { COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } })),
      findings: Array.from({ length: 25 }, (_, i) => finding(c, i)),
      findingsTotal: 25 * scale,
      attestations: [],
      processChecks: [],
      exceptions: [],
      reports: [],
      reportsExcluded: [],
      residencyFindings: 0,
    },
  }));
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, s === 'non-compliant' ? CONTROL_COUNT : 0])) as AssessmentResult['totals']['byStatus'];
  const byResponsibility = Object.fromEntries(RESPONSIBILITIES.map((r) => [r, r === 'customer' ? CONTROL_COUNT : 0])) as AssessmentResult['totals']['byResponsibility'];
  const byImplementation = Object.fromEntries(IMPLEMENTATION_STATUSES.map((i) => [i, i === 'Ineffective' ? CONTROL_COUNT : 0])) as AssessmentResult['totals']['byImplementation'];
  // The result keeps the first 1,000 resources outside the allowed regions, as the assessment does.
  const outside = Array.from({ length: Math.min(20 * scale, 1000) }, (_, i) => ({ accountId: account(i % (30 * scale)), region: i % 2 ? 'us-west-2' : 'eu-west-1', resourceType: 'AWS::S3::Bucket', resourceId: `stray-${i}`, arn: null }));
  const facts = packFacts(pack, controls, ['ap-southeast-2']);
  return renderResult(pack, {
    pack: { ...renderResult(pack).pack, gaps: pack.manifest.gaps, files: facts.files },
    servicesInUse: [{ category: 'abstracted', resourceTypes: Array.from({ length: 20 * scale }, (_, i) => `AWS::Service${i}::Thing`) }],
    dataResidency: { allowedRegions: ['ap-southeast-2'], controls: ['ism-1000'], resources: outside, total: 20 * scale, byRegion: facts.byRegion },
    recorders: facts.recorders,
    artifactReports: facts.artifactReports,
    manualEvidence: facts.manualEvidence,
    totals: {
      controls: CONTROL_COUNT,
      byStatus,
      byResponsibility,
      byImplementation,
      evaluations: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 },
      results: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 },
      resources: 20 * scale,
      ruleDeployments: facts.ruleDeployments,
    },
    controls,
  });
}

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'auditpack-scale-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function render(scale: number): Promise<{ pages: number; html: string }> {
  const pack = await writeScaledPack(path.join(base, `pack-${scale}`), scale);
  const out = path.join(base, `report-${scale}`);
  await mkdir(out);
  const result = scaledResult(pack, scale);
  await renderReport(result, await packRows(result, pack.dir), out, { formats: ['pdf', 'html'], marking: 'OFFICIAL' });
  const { pageCount } = await readPdfStructure(await readFile(path.join(out, 'report.pdf')));
  return { pages: pageCount, html: await readFile(path.join(out, 'report.html'), 'utf8') };
}

test('a larger estate does not make a longer PDF', async () => {
  const large = await render(LARGE);
  const huge = await render(HUGE);
  expect(huge.pages).toBe(large.pages);
  expect(huge.pages).toBeLessThan(45);
  // Each long list is cut and says where the rest is.
  expect(large.html).toContain(`and ${num(30 * LARGE - LIMITS.accounts)} more: see the Accounts sheet of report.xlsx (csv/accounts.csv)`);
  expect(large.html).toContain(`and ${num(2 * LARGE - LIMITS.gaps)} more: see the Gaps sheet`);
  expect(large.html).toContain(`and ${num(3 * LARGE - LIMITS.attestations)} more: see the Attestations sheet`);
  expect(large.html).toContain(`and ${num(3 * LARGE - LIMITS.exceptions)} more: see the Exceptions sheet`);
  expect(large.html).toContain(`and ${num(20 * LARGE - LIMITS.residencyResources)} more: see the Data residency sheet`);
  expect(large.html).toContain(`and ${num(25 * LARGE - LIMITS.findingsPerControl)} more: see the Evidence sheet`);
  expect(large.html).toContain(`and ${num(CONTROL_COUNT - LIMITS.attention)} more: see part 6`);
  expect(large.html).toContain(`${num(30 * LARGE)} deployed rules`);
  expect(large.html).not.toContain('rule-99<');
});
