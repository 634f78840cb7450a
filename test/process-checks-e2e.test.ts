import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AssessmentResult } from '../src/assess/result';
import type { ConfigRule, Evaluation } from '../src/evidence/records';
import { awsEnv, runCli } from './helpers/collect-cli';
import { CALLER_KEYS, sampleEstate, startEstateAws, type FakeEstate } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * Process checks end to end: recorded in a local fake of AWS Config, collected through the real
 * SDK by the compiled CLI, then assessed by `report`.
 */
const tmp = useTempDir('auditpack-process-checks-');
const DAY = 86_400_000;
const CHECKS = { 'response-plan-exists-maintained': 'ism-0043', 'security-awareness-program-exists': 'ism-0252', 'audit-log-policy-exists': 'ism-0580' } as const;
type CheckName = keyof typeof CHECKS;

/** The caller's account in Sydney with the Part 1 process checks deployed and recorded as given. */
async function estateWith(dir: string, recorded: Record<CheckName, Evaluation['complianceType']>): Promise<FakeEstate> {
  const estate = await sampleEstate(dir, 2);
  const home = estate.locations.find((l) => l.accountId === estate.accounts[0] && l.region === 'ap-southeast-2')!;
  const at = new Date(Date.now() - 30 * DAY).toISOString();
  for (const [name, complianceType] of Object.entries(recorded)) {
    const rule: ConfigRule = { ...home.rules[0], ruleName: `${name}-conformance-pack-q1w2e3r4t`, ruleArn: null, sourceIdentifier: 'AWS_CONFIG_PROCESS_CHECK', inputParameters: {} };
    home.rules.push(rule);
    home.evaluations.push({
      accountId: home.accountId,
      region: home.region,
      ruleName: rule.ruleName,
      resourceType: 'AWS::::Account',
      resourceId: home.accountId,
      complianceType,
      annotation: `${name} confirmed by the CISO, see the policy register`,
      resultRecordedTime: at,
      configRuleInvokedTime: at,
    });
  }
  return estate;
}

async function collectAndAssess(name: string, recorded: Record<CheckName, Evaluation['complianceType']>): Promise<AssessmentResult> {
  const dir = path.join(tmp(), name);
  const aws = await startEstateAws(await estateWith(dir, recorded));
  try {
    const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: aws.url });
    const pack = path.join(dir, 'pack');
    const collected = await runCli(['collect', '--out', pack, '--period', '2026-Q4', '--regions', 'ap-southeast-2'], env, dir);
    expect(collected.stderr).not.toMatch(/internal error/);
    const report = await runCli(['report', pack, '--out', path.join(dir, 'report'), '--format', 'csv', '--catalog', 'builtin'], env, dir);
    expect(report.stderr).toBe('');
    return JSON.parse(readFileSync(path.join(dir, 'report', 'assessment-result.json'), 'utf8'));
  } finally {
    await aws.close();
  }
}

const control = (result: AssessmentResult, id: string) => result.controls.find((c) => c.id === id)!;

it('three compliant process checks attest their controls, citing the rule and its annotation', async () => {
  const result = await collectAndAssess('compliant', { 'response-plan-exists-maintained': 'COMPLIANT', 'security-awareness-program-exists': 'COMPLIANT', 'audit-log-policy-exists': 'COMPLIANT' });
  for (const [name, id] of Object.entries(CHECKS)) {
    const c = control(result, id);
    expect({ id, status: c.status }).toEqual({ id, status: 'attested' });
    expect(c.rationale).toContain(`process check ${name}`);
    expect(c.rationale).toContain(`"${name} confirmed by the CISO, see the policy register"`);
    expect(c.evidence.processChecks).toMatchObject([{ name, ruleName: `${name}-conformance-pack-q1w2e3r4t`, complianceType: 'COMPLIANT', expired: false }]);
  }
  expect(result.unmappedRules).toEqual([]);
}, 120_000);

it('one process check recorded non-compliant makes its control non-compliant', async () => {
  const result = await collectAndAssess('non-compliant', { 'response-plan-exists-maintained': 'COMPLIANT', 'security-awareness-program-exists': 'COMPLIANT', 'audit-log-policy-exists': 'NON_COMPLIANT' });
  expect(control(result, 'ism-0580')).toMatchObject({ status: 'non-compliant', rationale: expect.stringContaining('recorded non-compliant in AWS Config by process check audit-log-policy-exists') });
  expect(control(result, 'ism-0043').status).toBe('attested');
}, 120_000);
