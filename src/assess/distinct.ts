import type { ComplianceType } from '../evidence/records';

/**
 * Resource types AWS Config records once per account rather than per Region: a result for one of
 * them is the same result wherever it was evaluated, so the Region is left out of its key. IAM
 * identities and policies and the account itself, plus the other services Config treats as
 * global (CloudFront, Route 53 zones and checks, Global Accelerator, classic WAF, Shield).
 */
export const GLOBAL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::::Account',
  'AWS::IAM::User',
  'AWS::IAM::Role',
  'AWS::IAM::Group',
  'AWS::IAM::Policy',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::OIDCProvider',
  'AWS::IAM::SAMLProvider',
  'AWS::IAM::ServerCertificate',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::StreamingDistribution',
  'AWS::Route53::HostedZone',
  'AWS::Route53::HealthCheck',
  'AWS::GlobalAccelerator::Accelerator',
  'AWS::GlobalAccelerator::Listener',
  'AWS::GlobalAccelerator::EndpointGroup',
  'AWS::WAF::RateBasedRule',
  'AWS::WAF::Rule',
  'AWS::WAF::RuleGroup',
  'AWS::WAF::WebACL',
  'AWS::Shield::Protection',
]);

/**
 * The key of one distinct result of a rule identifier: account, resource type and id, and the
 * Region only for regional types. (The identifier and its parameters key the map the result is
 * in.) `typeTag` stands for the resource type in the key, so callers may shorten it.
 */
export function resourceKey(e: { accountId: string; region: string; resourceType: string; resourceId: string }, typeTag = e.resourceType): string {
  const region = GLOBAL_RESOURCE_TYPES.has(e.resourceType) ? '' : e.region;
  return `${e.accountId}\u0000${typeTag}\u0000${region}\u0000${e.resourceId}`;
}

/**
 * How strict each result is when deployments of one identifier judge the same resource
 * differently: a failure outweighs everything, "could not judge" outweighs a pass (a pass must
 * not be claimed where another deployment could not confirm it), and a pass outweighs "does not
 * apply".
 */
export const STRICTNESS: Record<ComplianceType, number> = { NOT_APPLICABLE: 0, COMPLIANT: 1, INSUFFICIENT_DATA: 2, NON_COMPLIANT: 3 };

/** A rule's input parameters as one comparable string (keys sorted). */
export const parametersKey = (p: Record<string, string>): string => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
