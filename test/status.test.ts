import { decideStatus, type ControlFacts } from '../src/assess/status';

const facts = (overrides: Partial<ControlFacts> = {}): ControlFacts => ({
  responsibility: 'customer',
  mappedRules: [],
  results: [],
  unrecordedLocations: [],
  collectionGaps: 0,
  reports: [],
  attestations: [],
  exceptions: [],
  residencyFindings: 0,
  notApplicable: null,
  ...overrides,
});
/** One mapped rule R with these results. */
const counts = (COMPLIANT: number, NON_COMPLIANT = 0, NOT_APPLICABLE = 0) => [{ sourceIdentifier: 'R', counts: { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA: 0 } }];
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
      { sourceIdentifier: 'S3_X', counts: { COMPLIANT: 2, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } },
      { sourceIdentifier: 'S3_Y', counts: { COMPLIANT: 2, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } },
    ];
    expect(decideStatus(facts({ mappedRules: ['S3_X', 'S3_Y'], results })).rationale).toBe('1 resource evaluation non-compliant: S3_X (1).');
    expect(decideStatus(facts({ attestations: [attestation(false)] })).rationale).toContain('att-1');
    expect(decideStatus(facts({ responsibility: 'inherited', reports: [report] })).rationale).toContain('AWS IRAP report');
  });

  it('resources outside the allowed regions make the residency controls non-compliant, even inherited ones', () => {
    expect(decideStatus(facts({ residencyFindings: 2 }))).toEqual({ status: 'non-compliant', rationale: '2 resources outside the allowed regions.' });
    expect(status({ responsibility: 'inherited', reports: [report], residencyFindings: 1 })).toBe('non-compliant');
    expect(status({ residencyFindings: 1, exceptions: [exception(false)] })).toBe('risk-accepted');
  });

  it('a declaration of not applicable stands unless evidence shows the control failing', () => {
    expect(decideStatus(facts({ notApplicable: 'No telephones.' }))).toEqual({ status: 'not-applicable', rationale: 'Declared not applicable: No telephones.' });
    expect(status({ notApplicable: 'x', mappedRules: ['R'], results: counts(0, 2) })).toBe('non-compliant');
    expect(status({ notApplicable: 'x', residencyFindings: 1 })).toBe('non-compliant');
  });
});
