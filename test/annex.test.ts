import { readFileSync } from 'node:fs';
import path from 'node:path';
import { annexResponsibility, IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import { implementationComments, type CommentFacts } from '../src/assess/annex-comments';
import { STATUSES } from '../src/assess/result';
import { decideImplementation, decideStatus } from '../src/assess/status';
import { STATUS_TABLE, statusColumn } from '../src/assess/status-table';
import { ruleEvidence } from './fixtures/render-result';
import { controlFacts } from './helpers/control-facts';

const MISSING = { evidenced: false, rationale: 'no report' };
const EVIDENCED = { evidenced: true, rationale: 'evidenced by AWS IRAP report.' };

describe('the status table', () => {
  test('maps every status to one of the eight annex values, with a reason', () => {
    for (const s of STATUSES) {
      expect([s, IMPLEMENTATION_STATUSES.includes(STATUS_TABLE[s].implementation)]).toEqual([s, true]);
      expect([s, STATUS_TABLE[s].annexReason.length > 20]).toEqual([s, true]);
    }
  });

  test('holds the documented rows', () => {
    expect(statusColumn('implementation')).toEqual({
      'non-compliant': 'Ineffective',
      'insufficient-evidence': 'No visibility',
      'attestation-expired': 'Ineffective',
      'inherited-evidence-missing': 'No visibility',
      'not-assessed': 'Not assessed',
      'risk-accepted': 'Not implemented',
      attested: 'Effective',
      'inherited-evidenced': 'Common control',
      compliant: 'Effective',
      'not-applicable': 'Not applicable',
    });
  });

  test('docs/assessment-result.md documents every row as the table has it', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'assessment-result.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## SSP annex'));
    for (const s of STATUSES) expect(section).toContain(`| \`${s}\` | ${STATUS_TABLE[s].implementation} | ${STATUS_TABLE[s].annexReason} |`);
  });
});

describe('the implementation decision', () => {
  const attestation = (id: string, expired: boolean, implementation?: 'Effective' | 'Alternate control' | 'Common control', attestedOn = '2026-01-01', validUntil = expired ? '2026-06-30' : '2027-06-30') => ({
    id,
    attester: 'CISO',
    attestedOn,
    validUntil,
    expired,
    attachments: [],
    ...(implementation ? { implementation } : {}),
  });

  test('a risk acceptance keeps the value of the status it covers, Not implemented over a control not assessed', () => {
    expect(decideImplementation('risk-accepted', null, 'non-compliant')).toBe('Ineffective');
    expect(decideImplementation('risk-accepted', null, 'attestation-expired')).toBe('Ineffective');
    expect(decideImplementation('risk-accepted', null, 'insufficient-evidence')).toBe('No visibility');
    expect(decideImplementation('risk-accepted', null, 'not-assessed')).toBe('Not implemented');
  });

  test("a shared control is Effective only when AWS's half is evidenced too", () => {
    expect(decideImplementation('compliant', EVIDENCED, null)).toBe('Effective');
    expect(decideImplementation('compliant', MISSING, null)).toBe('No visibility');
    expect(decideImplementation('attested', MISSING, null)).toBe('No visibility');
    expect(decideImplementation('non-compliant', MISSING, null)).toBe('Ineffective');
  });

  test('an attested control takes the implementation its attestation states; nothing else does', () => {
    expect(decideImplementation('attested', null, null, 'Alternate control')).toBe('Alternate control');
    expect(decideImplementation('attested', null, null, 'Common control')).toBe('Common control');
    expect(decideImplementation('attested', null, null, 'Effective')).toBe('Effective');
    expect(decideImplementation('attested', MISSING, null, 'Alternate control')).toBe('No visibility');
    expect(decideImplementation('compliant', null, null, 'Alternate control')).toBe('Effective');
  });

  test('the attestation the status rests on states it: a current one, not an expired one', () => {
    const facts = (attestations: ReturnType<typeof attestation>[]) => controlFacts({ attestations });
    expect(decideStatus(facts([attestation('a', false, 'Alternate control')])).implementation).toBe('Alternate control');
    expect(decideStatus(facts([attestation('a', true, 'Alternate control'), attestation('b', false)])).implementation).toBe('Effective');
    expect(decideStatus(facts([attestation('a', false, 'Common control')])).implementation).toBe('Common control');
    expect(decideStatus(facts([attestation('a', true, 'Common control')])).implementation).toBe('Ineffective');
  });

  test("of several current attestations, the latest attested states it, whatever the pack's order", () => {
    // Last quarter's answer, carried forward under its own id, beside this quarter's.
    const carried = attestation('ATT-ISM-0252-2026-08-20', false, 'Common control', '2026-08-20', '2027-08-19');
    const answered = attestation('ATT-ISM-0252-2026-11-20', false, 'Effective', '2026-11-20', '2027-02-28');
    for (const order of [[carried, answered], [answered, carried]]) {
      const decided = decideStatus(controlFacts({ attestations: order }));
      expect([decided.implementation, decided.rationale]).toEqual(['Effective', 'Attested by CISO on 2026-11-20, valid until 2027-02-28 (ATT-ISM-0252-2026-11-20).']);
    }
    // Attested the same day: the one valid longer, then the greater id.
    const longer = attestation('b', false, 'Alternate control', '2026-11-20', '2027-11-19');
    expect(decideStatus(controlFacts({ attestations: [longer, answered] })).implementation).toBe('Alternate control');
    const twin = attestation('c', false, 'Common control', '2026-11-20', '2027-11-19');
    expect(decideStatus(controlFacts({ attestations: [twin, longer] })).implementation).toBe('Common control');
    expect(decideStatus(controlFacts({ attestations: [longer, twin] })).implementation).toBe('Common control');
  });
});

describe('the annex responsibility', () => {
  test('is the categories’ own when they agree and Shared when they differ', () => {
    expect(annexResponsibility({ infrastructure: 'customer', abstracted: 'customer' }, 'customer')).toBe('Customer-specific');
    expect(annexResponsibility({ abstracted: 'inherited' }, 'inherited')).toBe('Inherited');
    expect(annexResponsibility({ container: 'shared' }, 'shared')).toBe('Shared');
    expect(annexResponsibility({ infrastructure: 'customer', abstracted: 'inherited' }, 'customer')).toBe('Shared');
  });
});

describe('implementation comments', () => {
  const evidence = (o: Partial<CommentFacts['evidence']> = {}): CommentFacts['evidence'] => ({ rules: [], supportingRules: [], byLocation: [], findings: [], findingsTotal: 0, attestations: [], processChecks: [], exceptions: [], reports: [], reportsExcluded: [], residencyFindings: 0, ...o });
  const facts = (o: Partial<CommentFacts> = {}): CommentFacts => ({
    responsibility: 'customer',
    responsibilityByCategory: { infrastructure: 'customer' },
    awsHalf: null,
    evidence: evidence(),
    mappedRules: [],
    unrecordedLocations: [],
    collectionGaps: 0,
    notApplicable: null,
    allowedRegions: ['ap-southeast-2'],
    asOf: '2026-11-30',
    ...o,
  });

  test('say how much automated evidence there is, which resources fail, and where nothing was recorded', () => {
    const finding = (id: string) => ({ accountId: '111122223333', region: 'ap-southeast-2', ruleName: 'r', sourceIdentifier: 'S3_X', resourceType: 'AWS::S3::Bucket', resourceId: id, annotation: null, resultRecordedTime: '2026-11-29T00:00:00Z', otherRules: [], file: 'config/evaluations.jsonl', line: 1 });
    const text = implementationComments(
      facts({
        mappedRules: ['S3_X'],
        unrecordedLocations: ['111122223333/ap-southeast-4'],
        evidence: evidence({
          rules: [ruleEvidence({ sourceIdentifier: 'S3_X', ruleNames: ['r'], counts: { COMPLIANT: 7, NON_COMPLIANT: 5, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } })],
          byLocation: [{ accountId: '111122223333', region: 'ap-southeast-2', counts: { COMPLIANT: 7, NON_COMPLIANT: 5, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 } }],
          findings: ['b1', 'b2', 'b3', 'b4'].map(finding),
          findingsTotal: 5,
        }),
      }),
    );
    expect(text).toBe(
      'AWS Config evaluated 1 mapped managed rule in 1 account and 1 region: 7 compliant and 5 non-compliant distinct results (S3_X: 7 compliant, 5 non-compliant). ' +
        'Failing: b1 (AWS::S3::Bucket, account 111122223333, ap-southeast-2, S3_X); b2 (AWS::S3::Bucket, account 111122223333, ap-southeast-2, S3_X); b3 (AWS::S3::Bucket, account 111122223333, ap-southeast-2, S3_X); and 2 more non-compliant results (csv/evidence.csv). ' +
        'No evidence from 111122223333/ap-southeast-4, where the AWS Config recorder was not recording. Evidence as of 2026-11-30.',
    );
  });

  test('name who attested and accepted the risk, and until when', () => {
    const text = implementationComments(
      facts({
        evidence: evidence({
          attestations: [{ id: 'att-7', attester: 'Jo Citizen, CISO', attestedOn: '2026-02-01', validUntil: '2027-01-31', expired: false, attachments: [{ name: 'plan.pdf', sha256: 'ab' }] }],
          exceptions: [{ id: 'ra-2', owner: 'Ops lead', approvedBy: 'Jo Citizen, CISO', expiresOn: '2026-06-30', expired: true }],
        }),
      }),
    );
    expect(text).toContain('Attested by Jo Citizen, CISO on 2026-02-01 (att-7, 1 attachment hashed in the evidence pack), valid until 2027-01-31.');
    expect(text).toContain('Risk accepted by Jo Citizen, CISO for owner Ops lead (ra-2), expired 2026-06-30.');
  });

  test("name AWS's reports, the split by service category, and say when nothing bears on the control", () => {
    const shared = implementationComments(
      facts({
        responsibility: 'shared',
        responsibilityByCategory: { infrastructure: 'shared', abstracted: 'inherited' },
        awsHalf: EVIDENCED,
        evidence: evidence({ reports: [{ id: 'r1', name: 'AWS IRAP report', series: 'IRAP', version: 2, period: { start: '2025-07-01', end: '2026-06-30' }, attachmentSha256: null }] }),
      }),
    );
    expect(shared).toBe(
      "Responsibility: shared for infrastructure services; inherited for abstracted services. No evidence in the pack bears on the customer's part: no mapped AWS Config rule is deployed and no attestation or process check covers it. " +
        "AWS's part is evidenced by the AWS Artifact reports AWS IRAP report (period 2025-07-01 to 2026-06-30). Evidence as of 2026-11-30.",
    );
    expect(implementationComments(facts())).toMatch(/^No evidence in the pack bears on this control/);
    // Assessed as the customer's, the part AWS implements for other services is said not to be assessed.
    expect(implementationComments(facts({ responsibilityByCategory: { infrastructure: 'customer', abstracted: 'inherited' } }))).toContain(
      "AWS's part for abstracted services is not assessed here: the control is assessed as the customer's, its most demanding responsibility.",
    );
  });

  test('name the accounts that recorded the same process check result together', () => {
    const check = (accountId: string) => ({ name: 'audit-log-policy-exists', ruleName: 'audit-log-policy-exists-cp', accountId, region: 'ap-southeast-2', complianceType: 'COMPLIANT' as const, annotation: 'Policy v2 approved', resultRecordedTime: '2026-09-12T01:00:00Z', validUntil: '2027-09-12', expired: false });
    expect(implementationComments(facts({ evidence: evidence({ processChecks: [check('111122223333'), check('444455556666')] }) }))).toBe(
      'AWS Config process check audit-log-policy-exists recorded COMPLIANT in accounts 111122223333, 444455556666 on 2026-09-12 ("Policy v2 approved"), valid until 2027-09-12. Evidence as of 2026-11-30.',
    );
  });
});
