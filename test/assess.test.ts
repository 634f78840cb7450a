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
    expect(result.dataResidency).toEqual({ allowedRegions: ['ap-southeast-2', 'ap-southeast-4'], controls: ['ism-1572'], resources: [{ accountId: ACCOUNT, region: 'us-east-1', resourceType: 'AWS::S3::Bucket', resourceId: 'oops', arn: 'arn:aws:s3:::oops' }], total: 1, byRegion: [{ region: 'us-east-1', resources: 1, accounts: 1 }] });
    const widened = await assess({ pack: await openPack(path.join(tmp(), 'residency')), catalog, baseline: 'PROTECTED', mappings, allowedRegions: ['ap-southeast-2', 'us-east-1'] });
    expect(widened.dataResidency.total).toBe(0);
    expect(widened.controls.find((c) => c.id === 'ism-1572')!.status).not.toBe('non-compliant');
  });

  it('counts a result once per rule identifier and resource, the Region only for regional types, the stricter deciding', async () => {
    const deployed = (identifier: string, ruleName: string, region: string, inputParameters: Record<string, string> = {}) => ({ ...rule(identifier, ACCOUNT, region), ruleName, inputParameters });
    const judged = (ruleName: string, resourceType: string, resourceId: string, complianceType: 'COMPLIANT' | 'NON_COMPLIANT', region = 'ap-southeast-2') => ({
      ...evaluation('X', resourceId, complianceType, ACCOUNT, region),
      ruleName,
      resourceType,
    });
    const { result, control } = await assessed(
      'distinct',
      {
        recorderStatus: [recorder(), recorder(ACCOUNT, 'ap-southeast-4')],
        configRules: [
          deployed('IAM_USER_MFA_ENABLED', 'mfa-part1', 'ap-southeast-2'),
          deployed('IAM_USER_MFA_ENABLED', 'mfa-e8', 'ap-southeast-2'),
          deployed('IAM_USER_MFA_ENABLED', 'mfa-part1', 'ap-southeast-4'),
          deployed('IAM_PASSWORD_POLICY', 'pw-part1', 'ap-southeast-2', { MinimumPasswordLength: '14' }),
          deployed('IAM_PASSWORD_POLICY', 'pw-legacy', 'ap-southeast-2', { MinimumPasswordLength: '8' }),
          deployed('MY_ORG_TAGGING_RULE', 'tagging', 'ap-southeast-2'),
          deployed('AWS_CONFIG_PROCESS_CHECK', 'dr-plan-tested', 'ap-southeast-2'),
        ],
        evaluations: [
          // One IAM user, failing in two packs and two Regions: one result.
          judged('mfa-part1', 'AWS::IAM::User', 'svc-payroll', 'NON_COMPLIANT'),
          judged('mfa-e8', 'AWS::IAM::User', 'svc-payroll', 'NON_COMPLIANT'),
          judged('mfa-part1', 'AWS::IAM::User', 'svc-payroll', 'NON_COMPLIANT', 'ap-southeast-4'),
          judged('mfa-part1', 'AWS::IAM::User', 'alice', 'COMPLIANT'),
          // The same account judged under two parameter sets: the stricter result counts, once.
          judged('pw-part1', 'AWS::::Account', ACCOUNT, 'NON_COMPLIANT'),
          judged('pw-legacy', 'AWS::::Account', ACCOUNT, 'COMPLIANT'),
          judged('tagging', 'AWS::EC2::Instance', 'i-1', 'NON_COMPLIANT'),
          judged('dr-plan-tested', 'AWS::::Account', ACCOUNT, 'COMPLIANT'),
        ],
      },
      { scope: { accounts: [{ accountId: ACCOUNT, name: null }], regions: ['ap-southeast-2', 'ap-southeast-4'] } },
    );
    expect(control('ism-0974').evidence).toMatchObject({ findingsTotal: 1, rules: [{ sourceIdentifier: 'IAM_USER_MFA_ENABLED', counts: { COMPLIANT: 1, NON_COMPLIANT: 1 } }] });
    expect(control('ism-0974').evidence.findings).toHaveLength(1);
    const password = control('ism-1559');
    expect(password).toMatchObject({ status: 'non-compliant', evidence: { findingsTotal: 1, rules: [{ counts: { COMPLIANT: 0, NON_COMPLIANT: 1 }, disagreements: { resources: 1, differentParameters: 1 } }] } });
    expect(password.rationale).toContain('Deployments disagree for IAM_PASSWORD_POLICY on 1 resource (1 with different input parameters): the stricter result counts.');
    // Raw evaluations stay in the totals; distinct results beside them.
    expect(result.totals.evaluations.NON_COMPLIANT).toBe(5);
    expect(result.totals.results.NON_COMPLIANT).toBe(3);
    // Deployed rules that map to nothing are listed, never dropped.
    expect(result.unmappedRules).toEqual([
      { sourceIdentifier: 'AWS_CONFIG_PROCESS_CHECK', processCheck: 'dr-plan-tested', deployments: 1, counts: { COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, reason: null },
      { sourceIdentifier: 'MY_ORG_TAGGING_RULE', processCheck: null, deployments: 1, counts: { COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, reason: null },
    ]);
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
      results: fc
        .subarray(mappedRules)
        .chain((present) => fc.tuple(...present.map((sourceIdentifier) => fc.tuple(counts, fc.nat(2)).map(([c, split]) => ({ sourceIdentifier, counts: c, disagreements: { resources: split, differentParameters: split ? 1 : 0 } }))))),
    }),
  );
  const facts: fc.Arbitrary<ControlFacts> = fc.record({
    responsibility: fc.constantFrom('customer', 'shared', 'inherited'),
    rules,
    unrecordedLocations: fc.array(fc.constant('111122223333/ap-southeast-4'), { maxLength: 1 }),
    collectionGaps: fc.nat(2),
    reports: fc.array(fc.constant({ id: 'r', name: 'IRAP', series: 'IRAP', version: 1, period: null, attachmentSha256: null }), { maxLength: 1 }),
    reportsExcluded: fc.array(fc.constant(null).map(() => ({ id: 'x', name: 'SOC 2', series: 'SOC 2', reasons: ['it states no report period'] })), { maxLength: 1 }),
    processChecks: fc.array(
      fc.record({
        complianceType: fc.constantFrom('COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'),
        annotation: fc.option(fc.constant('Plan approved')),
        expired: fc.boolean(),
      }).map((p) => ({ name: 'pc', ruleName: 'pc', accountId: '111122223333', region: 'ap-southeast-2', resultRecordedTime: '2026-01-01T00:00:00Z', validUntil: '2026-12-31', ...p })),
      { maxLength: 2 },
    ),
    attestations: fc.array(fc.boolean().map((expired) => ({ id: 'a', attester: 'x', attestedOn: '2026-01-01', validUntil: '2026-12-31', expired, attachments: [] })), { maxLength: 2 }),
    exceptions: fc.array(fc.boolean().map((expired) => ({ id: 'e', owner: 'o', approvedBy: 'x', expiresOn: '2026-12-31', expired })), { maxLength: 2 }),
    residencyFindings: fc.nat(2),
    notApplicable: fc.option(fc.constant({ rationale: 'No telephones.', approval: null })),
  }).map(({ rules: r, ...rest }) => ({ ...rest, ...r }));
  const sum = (f: ControlFacts, type: 'COMPLIANT' | 'NON_COMPLIANT') => f.results.reduce((n, r) => n + r.counts[type], 0);

  it('compliant needs compliant results, none failing and full coverage; attested needs a valid attestation', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { status } = decideStatus(f);
        if (status === 'compliant') {
          expect(f.mappedRules.length && sum(f, 'COMPLIANT') && !sum(f, 'NON_COMPLIANT') && !f.unrecordedLocations.length && !f.collectionGaps && !f.residencyFindings).toBeTruthy();
        }
        const checks = f.processChecks.filter((p) => p.complianceType === 'COMPLIANT' && p.annotation);
        if (status === 'attested') expect(f.attestations.some((a) => !a.expired) || (checks.length && checks.every((p) => !p.expired))).toBeTruthy();
        if (status === 'inherited-evidenced') expect(f.reports.length).toBeGreaterThan(0);
        if (f.processChecks.some((p) => p.complianceType === 'NON_COMPLIANT') && f.responsibility !== 'inherited') expect(['non-compliant', 'risk-accepted']).toContain(status);
        // AWS's half is evidenced only by a report in scope, and only customer controls have none.
        expect(decideStatus(f).awsHalf?.evidenced ?? false).toBe(f.responsibility !== 'customer' && f.reports.length > 0);
        expect(decideStatus(f).awsHalf === null).toBe(f.responsibility === 'customer');
        if (status === 'risk-accepted') expect(f.exceptions.some((e) => !e.expired)).toBe(true);
        if (status === 'not-applicable') expect(f.notApplicable).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
