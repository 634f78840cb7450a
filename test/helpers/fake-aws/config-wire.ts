import type { ConfigRule, Evaluation, Resource } from '../../../src/evidence/records';
import { complianceOf, type LocationData, type RuleCompliance, type RuleEntry, type Sequence } from './store';

/** AWS Config's wire forms (awsJson1_1): timestamps as epoch seconds, statuses in its own case, NextToken paging. */

export type Json = Record<string, unknown>;

/** A client error, answered with its code as `__type`. */
export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The most one page of each listing holds, whatever Limit asks for. */
export interface PageSizes {
  /** DescribeConfigRules, which takes no Limit. */
  rules: number;
  /** DescribeConformancePacks. */
  packs: number;
  /** DescribeConformancePackCompliance. */
  packRules: number;
  /** GetComplianceDetailsByConfigRule and GetAggregateComplianceDetailsByConfigRule. */
  evaluations: number;
  /** SelectResourceConfig and SelectAggregateResourceConfig. */
  resources: number;
  /** DescribeConfigurationAggregatorSourcesStatus. */
  sources: number;
  /** DescribeAggregateComplianceByConfigRules. */
  ruleCompliance: number;
  /** DescribeAggregateComplianceByConformancePacks. */
  packCompliance: number;
  /** AWS Artifact's ListReports and ListCustomerAgreements. */
  artifact: number;
}

/** The tests' pages: deliberately small, so every listing of a small estate takes several. */
export const TEST_PAGES: PageSizes = { rules: 2, packs: 1, packRules: 2, evaluations: 3, resources: 4, sources: 3, ruleCompliance: 3, packCompliance: 3, artifact: 3 };

/** The largest page AWS allows for each (the APIs' documented Limit maxima; DescribeConfigRules returns 25). */
export const AWS_PAGES: PageSizes = { rules: 25, packs: 20, packRules: 1000, evaluations: 100, resources: 100, sources: 100, ruleCompliance: 1000, packCompliance: 100, artifact: 300 };

/** Refuses a Limit above the API's maximum, as Config does. */
export function checkLimit(input: Json, max: number): void {
  if (typeof input.Limit === 'number' && input.Limit > max) throw new ClientError('ValidationException', `Limit must be less than or equal to ${max}`);
}

/** The page a request gets: its Limit (0 or none means the API's default), never more than `most`. */
export function pageSize(input: Json, most: number, apiDefault: number): number {
  const asked = typeof input.Limit === 'number' && input.Limit > 0 ? input.Limit : apiDefault;
  return Math.min(most, asked);
}

/** One page of `items` from an opaque token, and the token of the next. */
export function page<T>(items: Sequence<T>, size: number, token: unknown): { items: T[]; NextToken?: string } {
  const start = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(String(token))?.[1] ?? NaN);
  if (!Number.isInteger(start)) throw new ClientError('InvalidNextTokenException', 'The nextToken provided is invalid');
  const end = start + size;
  return { items: items.slice(start, end), NextToken: end < items.length ? `page-${end}` : undefined };
}

export const epoch = (iso: string | null) => (iso === null ? undefined : Date.parse(iso) / 1000);
export const title = (s: string | null) => (s === null ? undefined : s === 'NOT_APPLICABLE' ? 'Not_Applicable' : s[0] + s.slice(1).toLowerCase());

export const evaluationResult = (e: Evaluation) => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: { ConfigRuleName: e.ruleName, ResourceType: e.resourceType, ResourceId: e.resourceId, EvaluationMode: 'DETECTIVE' },
    OrderingTimestamp: epoch(e.resultRecordedTime),
  },
  ComplianceType: e.complianceType,
  ResultRecordedTime: epoch(e.resultRecordedTime),
  ConfigRuleInvokedTime: epoch(e.configRuleInvokedTime),
  ...(e.annotation === null ? {} : { Annotation: e.annotation }),
});

export const inventoryRow = (r: Resource) =>
  JSON.stringify({ accountId: r.accountId, awsRegion: r.region, resourceType: r.resourceType, resourceId: r.resourceId, ...(r.resourceName ? { resourceName: r.resourceName } : {}), ...(r.arn ? { arn: r.arn } : {}) });

export const apiRule = (r: ConfigRule) => ({
  ConfigRuleName: r.ruleName,
  ConfigRuleArn: r.ruleArn ?? undefined,
  ConfigRuleId: r.ruleArn?.split('/').pop(),
  Source: { Owner: r.sourceOwner, SourceIdentifier: r.sourceIdentifier },
  ...(Object.keys(r.inputParameters).length ? { InputParameters: JSON.stringify(r.inputParameters) } : {}),
  ConfigRuleState: r.state,
  CreatedBy: r.conformancePack ? 'config-conforms.amazonaws.com' : undefined,
});

/** A select query's answer: each row a JSON document in a string. */
export const selectAnswer = (p: { items: Resource[]; NextToken?: string }) => ({ Results: p.items.map(inventoryRow), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, NextToken: p.NextToken });

/** A ResourceCompliance query's answer: the rows are already JSON documents. */
export const complianceAnswer = (p: { items: string[]; NextToken?: string }) => ({ Results: p.items, QueryInfo: { SelectFields: [{ Name: 'configuration.targetResourceId' }] }, NextToken: p.NextToken });

/** A rule of one location, or Config's refusal of an unknown rule name. */
export function ruleAt(loc: LocationData | undefined, name: unknown): RuleEntry {
  const rule = typeof name === 'string' ? loc?.rule(name) : undefined;
  if (!rule) throw new ClientError('NoSuchConfigRuleException', `The ConfigRule '${String(name)}' provided in the request is invalid.`);
  return rule;
}

/** The conformance packs of one location with their compliance, rolled up from their rules' as Config does. */
export function packsAt(loc: LocationData): { name: string; compliance: RuleCompliance }[] {
  const rules = new Map<string, RuleEntry[]>();
  for (const r of loc.rules) if (r.conformancePack) rules.set(r.conformancePack, [...(rules.get(r.conformancePack) ?? []), r]);
  return [...rules].map(([name, list]) => ({ name, compliance: complianceOf(list.map((r) => r.compliance)) }));
}
