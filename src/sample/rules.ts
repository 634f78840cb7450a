import facts from '../facts/conformance-packs.json';
import type { ConfigRule } from '../evidence/records';
import { HOME_REGION, type SampleAccount } from './estate';
import { LOWER_ALNUM, type Random } from './random';

export interface ManagedRule {
  pack: string;
  identifier: string;
  /** Numbers the distinct identifiers: with a resource's key it decides the outcome, the same in every pack. */
  identifierKey: number;
  ruleName: string;
  /** Empty for rules that judge the account as a whole. */
  resourceTypes: readonly string[];
}

const identifierKeys = new Map<string, number>();
const MANAGED_RULES: readonly ManagedRule[] = facts.packs.flatMap((pack) =>
  pack.rules.map((rule) => {
    if (!identifierKeys.has(rule.identifier)) identifierKeys.set(rule.identifier, identifierKeys.size);
    return {
      pack: pack.name,
      identifier: rule.identifier,
      identifierKey: identifierKeys.get(rule.identifier)!,
      ruleName: rule.ruleName,
      resourceTypes: rule.resourceTypes,
    };
  }),
);
export const PACK_NAMES: readonly string[] = facts.packs.map((p) => p.name);

/** The parameters the agency set when deploying the packs; rules not listed take none. */
const INPUT_PARAMETERS: Record<string, Record<string, string>> = {
  ACM_CERTIFICATE_EXPIRATION_CHECK: { daysToExpiration: '90' },
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: { requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35' },
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: { requiredRetentionDays: '35' },
  CW_LOGGROUP_RETENTION_PERIOD_CHECK: { MinRetentionTime: '365' },
  ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK: { predefinedPolicyName: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
  IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS: { blockedActionsPatterns: 'kms:*, kms:Decrypt, kms:ReEncrypt*' },
  IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS: { blockedActionsPatterns: 'kms:*, kms:Decrypt, kms:ReEncrypt*' },
  IAM_PASSWORD_POLICY: {
    MaxPasswordAge: '90',
    MinimumPasswordLength: '14',
    PasswordReusePrevention: '24',
    RequireLowercaseCharacters: 'true',
    RequireNumbers: 'true',
    RequireSymbols: 'true',
    RequireUppercaseCharacters: 'true',
  },
  IAM_USER_UNUSED_CREDENTIALS_CHECK: { maxCredentialUsageAge: '45' },
  RESTRICTED_INCOMING_TRAFFIC: { blockedPort1: '20', blockedPort2: '21', blockedPort3: '3389', blockedPort4: '3306', blockedPort5: '4333' },
  VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS: { authorizedTcpPorts: '443' },
};

export interface DeployedRule extends ManagedRule {
  record: ConfigRule;
}

/**
 * The three packs as deployed in one account and Region. AWS names a conformance pack's rules
 * `<name>-conformance-pack-<random>`, one random part per pack, which is what keeps the rules
 * that Part 1 and the Essential Eight pack share apart.
 */
export function deployRules(account: SampleAccount, region: string, rng: Random): DeployedRule[] {
  const home = region === HOME_REGION;
  const suffixes = new Map<string, string>();
  const usedSuffixes = new Set<string>();
  for (const pack of PACK_NAMES) suffixes.set(pack, fresh(() => rng.chars(LOWER_ALNUM, 9), usedSuffixes));
  const usedIds = new Set<string>();
  return MANAGED_RULES.filter((rule) => home || !onGlobalResources(rule)).map((rule) => {
    const configRuleId = fresh(() => `config-rule-${rng.chars(LOWER_ALNUM, 6)}`, usedIds);
    return {
      ...rule,
      record: {
        accountId: account.accountId,
        region,
        ruleName: `${rule.ruleName}-conformance-pack-${suffixes.get(rule.pack)}`,
        ruleArn: `arn:aws:config:${region}:${account.accountId}:config-rule/${configRuleId}`,
        sourceOwner: 'AWS',
        sourceIdentifier: rule.identifier,
        conformancePack: rule.pack,
        inputParameters: INPUT_PARAMETERS[rule.identifier] ?? {},
        state: 'ACTIVE',
      },
    };
  });
}

/** IAM, the root user and the organisation trail: account-wide, whichever Region looks at them. */
const GLOBAL_ACCOUNT_RULE = /^(IAM_|ROOT_|MFA_|CLOUD_TRAIL_|CLOUDTRAIL_|MULTI_REGION_CLOUD_TRAIL_)/;

/**
 * Rules on global resources, which the agency deploys in its home Region only (where Config
 * records IAM), from copies of the pack templates without them elsewhere: evaluating them in every
 * Region would judge the same users and trail again.
 */
function onGlobalResources(rule: ManagedRule): boolean {
  if (rule.resourceTypes.length) return rule.resourceTypes.every((t) => t.startsWith('AWS::IAM::'));
  return GLOBAL_ACCOUNT_RULE.test(rule.identifier);
}

function fresh(make: () => string, used: Set<string>): string {
  for (;;) {
    const value = make();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}
