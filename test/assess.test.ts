import path from 'node:path';
import fc from 'fast-check';
import { assess } from '../src/assess/assess';
import { decideStatus, type ControlFacts } from '../src/assess/status';
import { openPack } from '../src/evidence/reader';
import { builtinCatalog } from '../src/mapping/catalog';
import { loadMappings } from '../src/mapping/mappings';
import { ACCOUNT, evaluation, recorder, rule, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();
const catalog = builtinCatalog();
const mappings = loadMappings(catalog);

describe('assess', () => {
  async function assessed(name: string, content: Parameters<typeof writePack>[1], overrides: Parameters<typeof writePack>[2] = {}) {
    const dir = path.join(tmp(), name);
    await writePack(dir, content, overrides);
    const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings });
    return { result, control: (id: string) => result.controls.find((c) => c.id === id)! };
  }

  it('derives statuses from the evidence in the pack', async () => {
    const { result, control } = await assessed('statuses', {
      recorderStatus: [recorder()],
      resources: [{ accountId: ACCOUNT, region: 'ap-southeast-2', resourceType: 'AWS::S3::Bucket', resourceId: 'b1', resourceName: 'b1', arn: 'arn:aws:s3:::b1' }],
      configRules: [rule('S3_BUCKET_PUBLIC_READ_PROHIBITED'), rule('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'), rule('IAM_USER_MFA_ENABLED')],
      evaluations: [
        evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', 'b1', 'NON_COMPLIANT'),
        evaluation('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'b1', 'COMPLIANT'),
        evaluation('IAM_USER_MFA_ENABLED', 'u1', 'NOT_APPLICABLE'),
      ],
      artifactReports: [{ id: 'report-irap', name: 'AWS IRAP assessment', series: 'IRAP', category: 'Certifications and attestations', version: 3, period: { start: '2025-07-01', end: '2026-06-30' }, state: 'PUBLISHED', attachment: null }],
      attestations: [{ id: 'att-training', controlIds: ['ism-0252'], statement: 'Training delivered', attester: 'CISO', attestedOn: '2026-10-01', validUntil: '2027-09-30', attachments: [] }],
      exceptions: [{ id: 'ra-1', controlIds: ['ism-1985'], owner: 'Data owner', rationale: 'Legacy', approvedBy: 'CISO', approvedOn: '2026-10-01', expiresOn: '2027-03-31', attachments: [] }],
    });
    expect(control('ism-1852')).toMatchObject({ status: 'non-compliant', evidence: { findingsTotal: 1, findings: [{ resourceId: 'b1', sourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED' }] } });
    expect(control('ism-1985').status).toBe('risk-accepted');
    expect(control('ism-0459')).toMatchObject({ status: 'compliant', evidence: { byLocation: [{ accountId: ACCOUNT, region: 'ap-southeast-2', counts: { COMPLIANT: 1 } }] } });
    expect(control('ism-0974').status).toBe('insufficient-evidence');
    expect(control('ism-0252').status).toBe('attested');
    expect(control('ism-1296')).toMatchObject({ responsibility: 'inherited', status: 'inherited-evidenced', evidence: { reports: [{ id: 'report-irap' }] } });
    expect(control('ism-0039').status).toBe('not-assessed');
    expect(result.servicesInUse).toEqual([{ category: 'abstracted', resourceTypes: ['AWS::S3::Bucket'] }]);
    expect(result.totals.controls).toBe(992);
    expect(Object.values(result.totals.byStatus).reduce((a, b) => a + b, 0)).toBe(992);
    expect(result.ruleControls.S3_BUCKET_PUBLIC_READ_PROHIBITED).toEqual(['ism-1852']);
  });

  it('uses the most demanding responsibility of the categories in use', async () => {
    const { control } = await assessed('categories', {
      recorderStatus: [recorder()],
      resources: [
        { accountId: ACCOUNT, region: 'ap-southeast-2', resourceType: 'AWS::S3::Bucket', resourceId: 'b1', resourceName: null, arn: null },
        { accountId: ACCOUNT, region: 'ap-southeast-2', resourceType: 'AWS::EC2::Instance', resourceId: 'i-1', resourceName: null, arn: null },
      ],
    });
    expect(control('ism-1407')).toMatchObject({ responsibility: 'customer', responsibilityByCategory: { infrastructure: 'customer', abstracted: 'inherited' } });
    expect(control('ism-1173')).toMatchObject({ responsibility: 'customer', responsibilityByCategory: { infrastructure: 'customer', abstracted: 'customer' } });
  });

  const OTHER = '444455556666';
  const twoAccounts = { scope: { accounts: [{ accountId: ACCOUNT, name: null }, { accountId: OTHER, name: null }], regions: ['ap-southeast-2', 'ap-southeast-4', 'us-east-1'] } };

  it('never calls a regional control compliant when an in-scope region was not recording', async () => {
    const { control } = await assessed(
      'unrecorded',
      {
        recorderStatus: [recorder(), recorder(ACCOUNT, 'ap-southeast-4', false), recorder(OTHER), recorder(OTHER, 'ap-southeast-4')],
        configRules: [rule('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'), rule('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', OTHER, 'ap-southeast-4')],
        evaluations: [evaluation('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'b1', 'COMPLIANT'), evaluation('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'b2', 'COMPLIANT', OTHER, 'ap-southeast-4')],
      },
      twoAccounts,
    );
    // us-east-1 is outside the allowed regions: nothing is expected to be recorded there.
    expect(control('ism-0459')).toMatchObject({ status: 'insufficient-evidence', rationale: expect.stringContaining(`${ACCOUNT}/ap-southeast-4`) });
    expect(control('ism-0459').rationale).not.toContain('us-east-1');
  });

  it('does not let a stopped recorder in another region hide evidence of global resources', async () => {
    const { control } = await assessed(
      'global',
      {
        recorderStatus: [recorder(), recorder(ACCOUNT, 'ap-southeast-4', false), recorder(OTHER), recorder(OTHER, 'ap-southeast-4')],
        configRules: [rule('IAM_ROOT_ACCESS_KEY_CHECK'), rule('IAM_ROOT_ACCESS_KEY_CHECK', OTHER)],
        evaluations: [evaluation('IAM_ROOT_ACCESS_KEY_CHECK', ACCOUNT, 'COMPLIANT'), evaluation('IAM_ROOT_ACCESS_KEY_CHECK', OTHER, 'COMPLIANT', OTHER)],
      },
      twoAccounts,
    );
    expect(control('ism-1173').status).toBe('compliant');
  });

  it('finds resources outside the allowed regions under the data residency controls', async () => {
    const stray = { accountId: ACCOUNT, region: 'us-east-1', resourceType: 'AWS::S3::Bucket', resourceId: 'oops', resourceName: 'oops', arn: 'arn:aws:s3:::oops' };
    const { result, control } = await assessed('residency', { recorderStatus: [recorder()], resources: [stray] });
    expect(control('ism-1572')).toMatchObject({ status: 'non-compliant', evidence: { residencyFindings: 1 } });
    expect(result.dataResidency).toEqual({ allowedRegions: ['ap-southeast-2', 'ap-southeast-4'], controls: ['ism-1572'], resources: [{ accountId: ACCOUNT, region: 'us-east-1', resourceType: 'AWS::S3::Bucket', resourceId: 'oops', arn: 'arn:aws:s3:::oops' }], total: 1 });
    const widened = await assess({ pack: await openPack(path.join(tmp(), 'residency')), catalog, baseline: 'PROTECTED', mappings, allowedRegions: ['ap-southeast-2', 'us-east-1'] });
    expect(widened.dataResidency.total).toBe(0);
    expect(widened.controls.find((c) => c.id === 'ism-1572')!.status).not.toBe('non-compliant');
  });

  it('judges expiry at the as-of date', async () => {
    const content = { attestations: [{ id: 'a', controlIds: ['ism-0252'], statement: 's', attester: 'x', attestedOn: '2026-01-01', validUntil: '2026-12-31', attachments: [] }] };
    expect((await assessed('asof-1', content)).control('ism-0252').status).toBe('attested');
    const dir = path.join(tmp(), 'asof-1');
    const later = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings, asOf: '2027-01-01' });
    expect(later.controls.find((c) => c.id === 'ism-0252')!.status).toBe('attestation-expired');
  });
});

describe('status property: no evidence, no compliance', () => {
  const counts = fc.record({ COMPLIANT: fc.nat(5), NON_COMPLIANT: fc.nat(5), NOT_APPLICABLE: fc.nat(5), INSUFFICIENT_DATA: fc.nat(5) });
  // Results exist only for mapped rules, and not necessarily for all of them (a rule may not be deployed).
  const rules = fc.subarray(['A', 'B']).chain((mappedRules) =>
    fc.record({
      mappedRules: fc.constant(mappedRules),
      results: fc.subarray(mappedRules).chain((present) => fc.tuple(...present.map((sourceIdentifier) => counts.map((c) => ({ sourceIdentifier, counts: c }))))),
    }),
  );
  const facts: fc.Arbitrary<ControlFacts> = fc.record({
    responsibility: fc.constantFrom('customer', 'shared', 'inherited'),
    rules,
    unrecordedLocations: fc.array(fc.constant('111122223333/ap-southeast-4'), { maxLength: 1 }),
    collectionGaps: fc.nat(2),
    reports: fc.array(fc.constant({ id: 'r', name: 'IRAP', series: 'IRAP', version: 1, period: null, attachmentSha256: null }), { maxLength: 1 }),
    attestations: fc.array(fc.boolean().map((expired) => ({ id: 'a', attester: 'x', attestedOn: '2026-01-01', validUntil: '2026-12-31', expired, attachments: [] })), { maxLength: 2 }),
    exceptions: fc.array(fc.boolean().map((expired) => ({ id: 'e', owner: 'o', approvedBy: 'x', expiresOn: '2026-12-31', expired })), { maxLength: 2 }),
    residencyFindings: fc.nat(2),
    notApplicable: fc.option(fc.constant('No telephones.')),
  }).map(({ rules: r, ...rest }) => ({ ...rest, ...r }));
  const sum = (f: ControlFacts, type: 'COMPLIANT' | 'NON_COMPLIANT') => f.results.reduce((n, r) => n + r.counts[type], 0);

  it('compliant needs compliant results, none failing and full coverage; attested needs a valid attestation', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { status } = decideStatus(f);
        if (status === 'compliant') {
          expect(f.mappedRules.length && sum(f, 'COMPLIANT') && !sum(f, 'NON_COMPLIANT') && !f.unrecordedLocations.length && !f.collectionGaps && !f.residencyFindings).toBeTruthy();
        }
        if (status === 'attested') expect(f.attestations.some((a) => !a.expired)).toBe(true);
        if (status === 'inherited-evidenced') expect(f.reports.length).toBeGreaterThan(0);
        if (status === 'risk-accepted') expect(f.exceptions.some((e) => !e.expired)).toBe(true);
        if (status === 'not-applicable') expect(f.notApplicable).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
