import { ClientError } from './config-wire';

/**
 * The advanced queries (SelectResourceConfig, SelectAggregateResourceConfig) the fake answers:
 * the two collect sends, the inventory and the ResourceCompliance items, each optionally limited
 * to some Regions. Config's query language is far larger; anything else is refused as Config
 * refuses a query it cannot parse, so a change to collect's queries fails its tests here.
 */
export type AdvancedQuery = { kind: 'inventory' | 'compliance'; regions?: string[] };

const INVENTORY = /^SELECT accountId, awsRegion, resourceType, resourceId, resourceName, arn(?: WHERE (awsRegion IN \([^)]*\)))?$/;
const COMPLIANCE =
  /^SELECT configuration\.targetResourceId, configuration\.targetResourceType, configuration\.complianceType, configuration\.configRuleList, accountId, awsRegion, configurationItemCaptureTime WHERE resourceType = 'AWS::Config::ResourceCompliance'(?: AND (awsRegion IN \([^)]*\)))?$/;
const REGION_LIST = /^awsRegion IN \(('[a-z0-9-]+'(?:, '[a-z0-9-]+')*)\)$/;

function regionsOf(condition: string | undefined): string[] | undefined {
  if (condition === undefined) return undefined;
  const list = REGION_LIST.exec(condition)?.[1];
  if (!list) throw new ClientError('InvalidExpressionException', `Invalid expression: ${condition}`);
  return list.split(', ').map((r) => r.slice(1, -1));
}

export function parseAdvancedQuery(expression: unknown): AdvancedQuery {
  const text = typeof expression === 'string' ? expression : '';
  const inventory = INVENTORY.exec(text);
  if (inventory) return { kind: 'inventory', regions: regionsOf(inventory[1]) };
  const compliance = COMPLIANCE.exec(text);
  if (compliance) return { kind: 'compliance', regions: regionsOf(compliance[1]) };
  throw new ClientError('InvalidExpressionException', `The fake does not serve this query: ${text.slice(0, 200)}`);
}
