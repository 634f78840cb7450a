/**
 * The rules whose annotation the bulk path still reads per rule (ResourceCompliance items carry
 * none). A process check (AWS_CONFIG_PROCESS_CHECK) is a person's statement about the account:
 * its annotation is the only record of what was found missing, which is what a POA&M entry and
 * an assessor's finding quote. A managed rule's annotation restates the rule (or is absent), so
 * its rule identifier, resource and result say what the assessment needs; reading it would
 * bring back a call per rule, account and Region, which is what the bulk path exists to avoid.
 */
export const PROCESS_CHECK = 'AWS_CONFIG_PROCESS_CHECK';

/**
 * Process checks share one identifier, which an aggregator does not return; the ACSC ISM Part 1
 * conformance pack deploys these three, named so (with a `-conformance-pack-<suffix>` when
 * deployed by the pack).
 */
const PART1_PROCESS_CHECKS = new Set(['response-plan-exists-maintained', 'security-awareness-program-exists', 'audit-log-policy-exists']);

/** Through an aggregator, rules are known by name only. */
export const isKnownProcessCheck = (ruleName: string) => PART1_PROCESS_CHECKS.has(ruleName.replace(/-conformance-pack-[a-z0-9]+$/, ''));
