import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../src/assess/assess';
import { openPack } from '../src/evidence/reader';
import { builtinCatalog } from '../src/mapping/catalog';
import { loadMappings } from '../src/mapping/mappings';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack } from '../src/sample';
import { ACCOUNT, recorder, REGION, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

/** Artifact reports evidence AWS's part only within their assurance level, service scope and currency. */
const tmp = useTempDir('auditpack-inheritance-');
const catalog = builtinCatalog();
const mappings = loadMappings(catalog);
const applicability = new Map(catalog.controls.map((c) => [c.id, c.applicability]));

const irap = (end: string) => ({ id: 'report-irap', name: 'AWS IRAP assessment', series: 'IRAP', category: 'Certifications and attestations', version: 3, period: { start: '2025-07-01', end }, state: 'PUBLISHED' as const, attachment: null });
const resource = (resourceType: string, resourceId: string) => ({ accountId: ACCOUNT, region: REGION, resourceType, resourceId, resourceName: null, arn: null });

it('with the SECRET baseline, no control that does not apply at PROTECTED is evidenced by the PROTECTED IRAP report or any other', async () => {
  const dir = path.join(tmp(), 'sample');
  await generateSamplePack(dir, DEFAULT_SAMPLE_OPTIONS);
  const result = await assess({ pack: await openPack(dir), catalog, baseline: 'SECRET', mappings });
  const beyondProtected = result.controls.filter((c) => !applicability.get(c.id)!.includes('P'));
  expect(beyondProtected.length).toBeGreaterThan(0);
  for (const c of beyondProtected) {
    expect({ id: c.id, status: c.status, reports: c.evidence.reports }).not.toMatchObject({ status: 'inherited-evidenced' });
    expect(c.evidence.reports).toEqual([]);
  }
  const missing = beyondProtected.filter((c) => c.status === 'inherited-evidence-missing');
  expect(missing.length).toBeGreaterThan(0);
  for (const c of missing) expect(c.rationale).toContain('AWS IRAP Assessment Report (PROTECTED) 2026 does not count: its assurance (NC, OS, P) does not reach this control');
  // Controls that apply at PROTECTED are still evidenced.
  expect(result.controls.filter((c) => c.status === 'inherited-evidenced').length).toBeGreaterThan(0);
});

it('a service in use outside a report series scope names itself, and an old report does not count', async () => {
  const dir = path.join(tmp(), 'lightsail');
  await writePack(dir, { recorderStatus: [recorder()], resources: [resource('AWS::S3::Bucket', 'b1'), resource('AWS::Lightsail::Instance', 'web-1')], artifactReports: [irap('2026-06-30')] });
  const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings });
  const physical = result.controls.find((c) => c.id === 'ism-1296')!;
  expect(physical).toMatchObject({ responsibility: 'inherited', status: 'inherited-evidence-missing', evidence: { reports: [], reportsExcluded: [{ id: 'report-irap' }] } });
  expect(physical.rationale).toContain('AWS IRAP assessment does not count: AWS::Lightsail is outside its service scope (as read 2026-12-02)');
  expect(physical.rationale).not.toContain('AWS::S3 ');

  const old = path.join(tmp(), 'old');
  await writePack(old, { recorderStatus: [recorder()], resources: [resource('AWS::S3::Bucket', 'b1')], artifactReports: [irap('2025-06-30')] });
  const stale = (await assess({ pack: await openPack(old), catalog, baseline: 'PROTECTED', mappings, asOf: '2026-11-16' })).controls.find((c) => c.id === 'ism-1296')!;
  expect(stale).toMatchObject({ status: 'inherited-evidence-missing', rationale: expect.stringContaining('its period ended 2025-06-30, more than 12 months before 2026-11-16') });
  const current = (await assess({ pack: await openPack(old), catalog, baseline: 'PROTECTED', mappings, asOf: '2026-06-01' })).controls.find((c) => c.id === 'ism-1296')!;
  expect(current.status).toBe('inherited-evidenced');
});

it("records a shared control's AWS half beside the customer's, and its absence as a finding", async () => {
  const dir = path.join(tmp(), 'shared');
  await writePack(dir, { recorderStatus: [recorder()], resources: [resource('AWS::EC2::Instance', 'i-1')], artifactReports: [irap('2026-06-30')] });
  const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings });
  const shared = result.controls.filter((c) => c.responsibility === 'shared');
  expect(shared.length).toBeGreaterThan(0);
  for (const c of shared) expect(c.awsHalf).not.toBeNull();
  const evidenced = shared.find((c) => c.awsHalf!.evidenced)!;
  expect(evidenced.evidence.reports).toMatchObject([{ id: 'report-irap' }]);
  const missing = shared.find((c) => !c.awsHalf!.evidenced)!;
  expect(missing.awsHalf!.rationale).toContain("no AWS Artifact report that evidences AWS's part");
  for (const c of result.controls.filter((x) => x.responsibility === 'customer')) expect(c.awsHalf).toBeNull();
});

describe('mapping files of a --mappings folder', () => {
  const folder = (name: string, file: string, text: string) => {
    const dir = path.join(tmp(), name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, file), text);
    return dir;
  };

  it("adds the user's own process checks, with their own expiry", () => {
    const dir = folder('checks', 'process-checks.yaml', 'processChecks:\n  dr-plan-tested:\n    controls: [ism-1515]\n    validForDays: 180\n    rationale: Our DR lead records the yearly restoration test.\n');
    expect(loadMappings(catalog, { extraDir: dir }).processChecks.get('dr-plan-tested')).toEqual({ controls: ['ism-1515'], validForDays: 180 });
    expect(loadMappings(catalog, { extraDir: dir }).processChecks.get('audit-log-policy-exists')).toEqual({ controls: ['ism-0580'], validForDays: 365 });
  });

  it('names the file and line of a bad entry', () => {
    const unknown = folder('bad-check', 'process-checks.yaml', 'processChecks:\n  dr-plan-tested:\n    controls: [ism-9999]\n    rationale: x\n');
    expect(() => loadMappings(catalog, { extraDir: unknown })).toThrow(`${path.join(unknown, 'process-checks.yaml')}:3: control ism-9999 is not in ISM catalog`);
    const days = folder('bad-days', 'process-checks.yaml', 'processChecks:\n  dr-plan-tested:\n    controls: [ism-1515]\n    validForDays: -1\n    rationale: x\n');
    expect(() => loadMappings(catalog, { extraDir: days })).toThrow(`${path.join(days, 'process-checks.yaml')}:4: processChecks.dr-plan-tested.validForDays:`);
    const scope = folder('bad-scope', 'artifact-reports.yaml', 'reports:\n  IRAP:\n    guidelines: [Guidelines for physical security]\n    assurance: [P]\n    servicesRead: 2026-12-02\n    rationale: x\n');
    expect(() => loadMappings(catalog, { extraDir: scope })).toThrow(`${path.join(scope, 'artifact-reports.yaml')}:3: reports.IRAP.services:`);
  });
});
