import { PROCESS_CHECK_IDENTIFIER } from '../evidence/records';
import type { ConfigRule, Evaluation } from '../evidence/records';
import { ESTATE_SEED, HOME_REGION, type SampleAccount } from './estate';
import { LOWER_ALNUM, streamFor } from './random';
import { iso } from './timeline';
import { PACK_NAMES, type DeployedRule } from './rules';

/** The ACSC ISM Part 1 pack deploys the process checks; its rules carry that pack's name suffix. */
const PART1 = PACK_NAMES[0];

/**
 * What the agency's people recorded against the Part 1 process checks, in the home Region of
 * every account (the copies elsewhere were never filled in). The audit log policy check was last
 * confirmed in September 2025, more than a year before collection, so it has gone stale.
 */
const RECORDED: readonly { name: string; at: string; annotation: string }[] = [
  {
    name: 'response-plan-exists-maintained',
    at: '2026-08-03T01:12:40.000Z',
    annotation: 'Incident response plan v4.0 approved by the CISO 2026-04-14, exercised 2026-05-21; see attestation ATT-2026-003 (SAMPLE DATA)',
  },
  {
    name: 'security-awareness-program-exists',
    at: '2026-08-29T04:45:03.000Z',
    annotation: '2026 awareness training programme running; completion register attached to attestation ATT-2026-001 (SAMPLE DATA)',
  },
  {
    name: 'audit-log-policy-exists',
    at: '2025-09-12T23:20:17.000Z',
    annotation: 'Event logging policy v2.1 approved; covers central collection, 12-month retention and weekly review (SAMPLE DATA)',
  },
];

/** The process check rules as deployed in one account and Region, named like the pack's other rules. */
export function deployProcessChecks(account: SampleAccount, region: string, rules: readonly DeployedRule[]): ConfigRule[] {
  const suffix = /-conformance-pack-([a-z0-9]+)$/.exec(rules.find((r) => r.pack === PART1)!.record.ruleName)![1];
  // A stream of their own, so adding them left every other record of the sample as it was.
  const rng = streamFor(ESTATE_SEED, `process-checks:${account.index}:${region}`);
  return RECORDED.map(({ name }) => ({
    accountId: account.accountId,
    region,
    ruleName: `${name}-conformance-pack-${suffix}`,
    ruleArn: `arn:aws:config:${region}:${account.accountId}:config-rule/config-rule-${rng.chars(LOWER_ALNUM, 6)}`,
    sourceOwner: 'AWS',
    sourceIdentifier: PROCESS_CHECK_IDENTIFIER,
    conformancePack: PART1,
    inputParameters: {},
    state: 'ACTIVE',
  }));
}

/** The results a person recorded against the account (PutExternalEvaluation): home Region only. */
export function processCheckEvaluations(rules: readonly ConfigRule[]): Evaluation[] {
  return rules
    .filter((r) => r.region === HOME_REGION)
    .map((r, i) => ({
      accountId: r.accountId,
      region: r.region,
      ruleName: r.ruleName,
      resourceType: 'AWS::::Account',
      resourceId: r.accountId,
      complianceType: 'COMPLIANT',
      annotation: RECORDED[i].annotation,
      resultRecordedTime: RECORDED[i].at,
      // Config stamps the evaluation a moment before it records the result.
      configRuleInvokedTime: iso(Date.parse(RECORDED[i].at) - 1_500),
    }));
}
