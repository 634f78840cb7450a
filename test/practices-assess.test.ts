import { assessPractices, PracticeTally } from '../src/assess/practices';
import type { Practice } from '../src/mapping/practices';

const practice = (name: string, rules: string[], manualEvidence: string | null = null): Practice => ({
  service: 'AWS::S3',
  serviceTitle: 'Amazon S3',
  name,
  description: `${name} description`,
  rules,
  manualEvidence,
});
const lock = practice('object-lock', ['S3_BUCKET_DEFAULT_LOCK_ENABLED']);
const notPublic = practice('not-public', ['S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED']);
const backupCopies = { ...practice('cross-account-backup-copies', [], 'An attestation naming the copy rule.'), service: 'AWS::RDS', serviceTitle: 'Amazon RDS' };
const context = (deployed: string[], resourceTypes = ['AWS::S3::Bucket']) => ({
  resourceTypes: new Set(resourceTypes),
  deployed: new Set(deployed),
  ruleControls: { S3_BUCKET_PUBLIC_READ_PROHIBITED: ['ism-1000'], S3_BUCKET_PUBLIC_WRITE_PROHIBITED: ['ism-1000', 'ism-1001'] },
});

describe('assessPractices', () => {
  it('calls a practice whose rule is not deployed "not evidenced", naming the rule to deploy', () => {
    const [a] = assessPractices(new PracticeTally([lock]), context(['S3_BUCKET_PUBLIC_READ_PROHIBITED']));
    expect(a).toMatchObject({ name: 'object-lock', status: 'not-evidenced', rulesDeployed: [], rulesToDeploy: ['S3_BUCKET_DEFAULT_LOCK_ENABLED'] });
    expect(a.rationale).toBe('None of its rules is deployed: deploy S3_BUCKET_DEFAULT_LOCK_ENABLED.');
  });

  it('counts a resource once, as non-compliant when any rule of the practice fails it', () => {
    const tally = new PracticeTally([notPublic]);
    // bucket-a fails one rule and passes the other; bucket-b passes both; bucket-c is in another account.
    tally.observe('S3_BUCKET_PUBLIC_READ_PROHIBITED', '111111111111', 'bucket-a', 'NON_COMPLIANT');
    tally.observe('S3_BUCKET_PUBLIC_WRITE_PROHIBITED', '111111111111', 'bucket-a', 'COMPLIANT');
    tally.observe('S3_BUCKET_PUBLIC_READ_PROHIBITED', '111111111111', 'bucket-b', 'COMPLIANT');
    tally.observe('S3_BUCKET_PUBLIC_WRITE_PROHIBITED', '111111111111', 'bucket-b', 'COMPLIANT');
    tally.observe('S3_BUCKET_PUBLIC_READ_PROHIBITED', '222222222222', 'bucket-c', 'COMPLIANT');
    tally.observe('S3_BUCKET_PUBLIC_READ_PROHIBITED', '222222222222', 'bucket-d', 'NOT_APPLICABLE');
    const [a] = assessPractices(tally, context(['S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED']));
    expect(a).toMatchObject({
      status: 'partly',
      resources: { compliant: 2, nonCompliant: 1 },
      byAccount: [
        { accountId: '111111111111', compliant: 1, nonCompliant: 1 },
        { accountId: '222222222222', compliant: 1, nonCompliant: 0 },
      ],
      controls: ['ism-1000', 'ism-1001'],
      rulesToDeploy: [],
    });
  });

  it('decides followed, not followed and deployed-but-silent', () => {
    const followed = new PracticeTally([lock]);
    followed.observe('S3_BUCKET_DEFAULT_LOCK_ENABLED', '111111111111', 'bucket-a', 'COMPLIANT');
    expect(assessPractices(followed, context(['S3_BUCKET_DEFAULT_LOCK_ENABLED']))[0].status).toBe('followed');
    const broken = new PracticeTally([lock]);
    broken.observe('S3_BUCKET_DEFAULT_LOCK_ENABLED', '111111111111', 'bucket-a', 'NON_COMPLIANT');
    expect(assessPractices(broken, context(['S3_BUCKET_DEFAULT_LOCK_ENABLED']))[0].status).toBe('not-followed');
    const silent = assessPractices(new PracticeTally([lock]), context(['S3_BUCKET_DEFAULT_LOCK_ENABLED']))[0];
    expect([silent.status, silent.rationale]).toEqual(['not-evidenced', 'S3_BUCKET_DEFAULT_LOCK_ENABLED reported no compliant or non-compliant resource.']);
  });

  it('names the manual evidence of a practice no rule can show, and leaves out services not in use', () => {
    expect(assessPractices(new PracticeTally([backupCopies, lock]), context([], ['AWS::S3::Bucket'])).map((a) => a.name)).toEqual(['object-lock']);
    const [a] = assessPractices(new PracticeTally([backupCopies]), context([], ['AWS::RDS::DBInstance']));
    expect([a.status, a.rationale]).toEqual(['not-evidenced', 'No managed rule can show this practice; evidence it with an attestation: An attestation naming the copy rule.']);
  });
});
