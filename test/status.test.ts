import type { ProcessCheckRef } from '../src/assess/result';
import { decideStatus, type ControlFacts } from '../src/assess/status';
import { controlFacts } from './helpers/control-facts';

const facts = controlFacts;
/** One mapped rule R with these results. */
const NONE = { resources: 0, differentParameters: 0 };
const counts = (COMPLIANT: number, NON_COMPLIANT = 0, NOT_APPLICABLE = 0) => [{ sourceIdentifier: 'R', counts: { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA: 0 }, disagreements: NONE }];
const declared = (rationale: string) => ({ rationale, approval: null });
const attestation = (expired: boolean) => ({ id: 'att-1', attester: 'CISO', attestedOn: '2026-01-01', validUntil: expired ? '2026-06-30' : '2027-06-30', expired, attachments: [] });
const exception = (expired: boolean) => ({ id: 'ra-1', owner: 'Owner', approvedBy: 'CISO', expiresOn: expired ? '2026-01-01' : '2027-03-31', expired });
const report = { id: 'r1', name: 'AWS IRAP report', series: 'IRAP', version: 1, period: null, attachmentSha256: null };
const status = (o: Partial<ControlFacts>) => decideStatus(facts(o)).status;

describe('status rules', () => {
  it('compliant only with compliant results, none failing, every location recorded and no gaps', () => {
    expect(status({ mappedRules: ['R'], results: counts(3) })).toBe('compliant');
    expect(status({ mappedRules: ['R'], results: counts(3, 1) })).toBe('non-compliant');
    expect(status({ mappedRules: ['R'], results: counts(3), unrecordedLocations: ['111122223333/ap-southeast-4'] })).toBe('insufficient-evidence');
    expect(status({ mappedRules: ['R'], results: counts(3), collectionGaps: 1 })).toBe('insufficient-evidence');
  });

  it('insufficient evidence when mapped rules ran without an applicable result or did not run', () => {
    expect(status({ mappedRules: ['R'], results: counts(0, 0, 4) })).toBe('insufficient-evidence');
    expect(status({ mappedRules: ['R'] })).toBe('insufficient-evidence');
  });

  it('attested only by a valid attestation; an expired one says so', () => {
    expect(status({ attestations: [attestation(false)] })).toBe('attested');
    expect(status({ attestations: [attestation(true)] })).toBe('attestation-expired');
    expect(status({})).toBe('not-assessed');
  });

  it('automated results outrank attestations', () => {
    expect(status({ mappedRules: ['R'], results: counts(1, 1), attestations: [attestation(false)] })).toBe('non-compliant');
  });

  it('an active risk acceptance covers a failing control; an expired one does not', () => {
    expect(status({ mappedRules: ['R'], results: counts(1, 1), exceptions: [exception(false)] })).toBe('risk-accepted');
    expect(status({ mappedRules: ['R'], results: counts(1, 1), exceptions: [exception(true)] })).toBe('non-compliant');
    expect(status({ mappedRules: ['R'], results: counts(2), exceptions: [exception(false)] })).toBe('compliant');
  });

  it('inherited controls rest on AWS Artifact reports', () => {
    expect(status({ responsibility: 'inherited', reports: [report] })).toBe('inherited-evidenced');
    expect(status({ responsibility: 'inherited' })).toBe('inherited-evidence-missing');
  });

  it('every rationale names its evidence or its absence', () => {
    const results = [
      { sourceIdentifier: 'S3_X', counts: { COMPLIANT: 2, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, disagreements: NONE },
      { sourceIdentifier: 'S3_Y', counts: { COMPLIANT: 2, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, disagreements: NONE },
    ];
    expect(decideStatus(facts({ mappedRules: ['S3_X', 'S3_Y'], results })).rationale).toBe('1 non-compliant result: S3_X (1).');
    expect(decideStatus(facts({ attestations: [attestation(false)] })).rationale).toContain('att-1');
    expect(decideStatus(facts({ responsibility: 'inherited', reports: [report] })).rationale).toContain('AWS IRAP report');
  });

  it('resources outside the allowed regions make the residency controls non-compliant, even inherited ones', () => {
    expect(decideStatus(facts({ residencyFindings: 2 }))).toEqual({ status: 'non-compliant', rationale: '2 resources outside the allowed regions.', awsHalf: null, implementation: 'Ineffective' });
    expect(status({ responsibility: 'inherited', reports: [report], residencyFindings: 1 })).toBe('non-compliant');
    expect(status({ residencyFindings: 1, exceptions: [exception(false)] })).toBe('risk-accepted');
  });

  it('a declaration of not applicable stands unless evidence shows the control failing', () => {
    expect(decideStatus(facts({ notApplicable: declared('No telephones.') }))).toEqual({ status: 'not-applicable', rationale: 'Declared not applicable: No telephones.', awsHalf: null, implementation: 'Not applicable' });
    expect(status({ notApplicable: declared('x'), mappedRules: ['R'], results: counts(0, 2) })).toBe('non-compliant');
    expect(status({ notApplicable: declared('x'), residencyFindings: 1 })).toBe('non-compliant');
  });

  it('a not-applicable declaration names its approver and date in the rationale', () => {
    const approved = { rationale: 'No telephones.', approval: { by: 'Alex Citizen, CISO', on: '2026-09-15' } };
    expect(decideStatus(facts({ notApplicable: approved }))).toEqual({
      status: 'not-applicable',
      rationale: 'Declared not applicable by Alex Citizen, CISO on 2026-09-15: No telephones.',
      awsHalf: null,
      implementation: 'Not applicable',
    });
  });

  it('says which deployments disagreed, why, and that the stricter result counted', () => {
    const results = [{ sourceIdentifier: 'IAM_PASSWORD_POLICY', counts: { COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 }, disagreements: { resources: 1, differentParameters: 1 } }];
    expect(decideStatus(facts({ mappedRules: ['IAM_PASSWORD_POLICY'], results })).rationale).toBe(
      '1 non-compliant result: IAM_PASSWORD_POLICY (1). Deployments disagree for IAM_PASSWORD_POLICY on 1 resource (1 with different input parameters): the stricter result counts.',
    );
  });
});

const check = (complianceType: 'COMPLIANT' | 'NON_COMPLIANT', expired = false, annotation: string | null = 'Plan v4 approved 2026-04-14'): ProcessCheckRef => ({
  name: 'response-plan-exists-maintained',
  ruleName: 'response-plan-exists-maintained-conformance-pack-abc',
  accountId: '111122223333',
  region: 'ap-southeast-2',
  complianceType,
  annotation,
  resultRecordedTime: '2026-10-01T00:00:00Z',
  validUntil: expired ? '2026-10-31' : '2027-10-01',
  expired,
});

describe('process checks', () => {
  it('a compliant result with an annotation attests the control, citing rule, annotation and time', () => {
    const d = decideStatus(facts({ processChecks: [check('COMPLIANT')] }));
    expect(d.status).toBe('attested');
    expect(d.rationale).toBe(
      'Attested in AWS Config by process check response-plan-exists-maintained (account 111122223333, recorded 2026-10-01: "Plan v4 approved 2026-04-14"), valid until 2027-10-01.',
    );
  });

  it('a non-compliant result makes the control non-compliant, even beside a valid attestation', () => {
    expect(status({ processChecks: [check('NON_COMPLIANT')], attestations: [attestation(false)] })).toBe('non-compliant');
    expect(status({ processChecks: [check('NON_COMPLIANT')], notApplicable: declared('x') })).toBe('non-compliant');
  });

  it('a stale result in any account expires them; one without an annotation attests nothing', () => {
    expect(status({ processChecks: [check('COMPLIANT', true)] })).toBe('attestation-expired');
    expect(status({ processChecks: [check('COMPLIANT'), { ...check('COMPLIANT', true), accountId: '444455556666' }] })).toBe('attestation-expired');
    expect(status({ processChecks: [check('COMPLIANT', false, null)] })).toBe('insufficient-evidence');
  });
});

describe("AWS's half", () => {
  const excluded = { id: 'r2', name: 'AWS ISO report', series: 'ISO/IEC 27001', reasons: ['AWS::Lightsail is outside its service scope (as read 2026-12-02)'] };

  it('inherited controls follow it, and every report left out says why', () => {
    const d = decideStatus(facts({ responsibility: 'inherited', reportsExcluded: [excluded] }));
    expect(d.status).toBe('inherited-evidence-missing');
    expect(d.rationale).toContain('AWS ISO report does not count: AWS::Lightsail is outside its service scope');
    expect(d.awsHalf).toMatchObject({ evidenced: false });
  });

  it('shared controls take their status from the customer half and record the AWS half beside it', () => {
    const missing = decideStatus(facts({ responsibility: 'shared', mappedRules: ['R'], results: counts(2) }));
    expect(missing).toMatchObject({ status: 'compliant', awsHalf: { evidenced: false } });
    const evidenced = decideStatus(facts({ responsibility: 'shared', mappedRules: ['R'], results: counts(2, 1), reports: [report] }));
    expect(evidenced).toMatchObject({ status: 'non-compliant', awsHalf: { evidenced: true, rationale: 'evidenced by AWS IRAP report.' } });
    expect(decideStatus(facts({ reports: [report] })).awsHalf).toBeNull();
  });
});

describe('SSP annex implementation', () => {
  it('no control with any evidence stays Not assessed: only the not-assessed status maps to it', () => {
    const variants: Partial<ControlFacts>[] = [
      {},
      { mappedRules: ['R'] },
      { mappedRules: ['R'], results: counts(2) },
      { mappedRules: ['R'], results: counts(2, 1) },
      { mappedRules: ['R'], results: counts(2), collectionGaps: 1 },
      { attestations: [attestation(false)] },
      { attestations: [attestation(true)] },
      { residencyFindings: 1 },
      { notApplicable: declared('No telephones.') },
    ];
    const seen = new Set<string>();
    for (const responsibility of ['customer', 'shared', 'inherited'] as const)
      for (const v of variants)
        for (const exceptions of [[], [exception(false)]])
          for (const reports of [[], [report]]) {
            const d = decideStatus(facts({ ...v, responsibility, exceptions, reports }));
            seen.add(d.implementation);
            expect([d.status, d.implementation === 'Not assessed']).toEqual([d.status, d.status === 'not-assessed']);
          }
    expect([...seen].sort()).toEqual(['Common control', 'Effective', 'Ineffective', 'No visibility', 'Not applicable', 'Not assessed', 'Not implemented']);
  });
});
