import { z } from 'zod';
import { describeIssue } from '../util/zod';
import { MalformedResponseError, parseEmbeddedJson } from './malformed';

/**
 * AWS Config's ResourceCompliance configuration items, read with an advanced query: one item
 * per evaluated resource, holding every rule's result for it (`configRuleList`). Config records
 * them only where the recorder records that resource type. The item carries neither the
 * annotation nor the rule's own result and invocation times: the item's capture time (when
 * Config last recorded a change of the resource's compliance) stands for both.
 */
export const RESOURCE_COMPLIANCE_TYPE = 'AWS::Config::ResourceCompliance';

const FIELDS = [
  'configuration.targetResourceId',
  'configuration.targetResourceType',
  'configuration.complianceType',
  'configuration.configRuleList',
  'accountId',
  'awsRegion',
  'configurationItemCaptureTime',
].join(', ');

/**
 * The query for every ResourceCompliance item, optionally in some Regions only. Conditions on
 * `configRuleList` would match across its elements (a rule's name in one entry, a compliance
 * type in another), so no rule is named here: entries are picked out client-side.
 */
export function resourceComplianceQuery(regions?: readonly string[]): string {
  const where = `resourceType = '${RESOURCE_COMPLIANCE_TYPE}'`;
  return `SELECT ${FIELDS} WHERE ${regions ? `${where} AND awsRegion IN (${regions.map((r) => `'${r}'`).join(', ')})` : where}`;
}

const Row = z.object({
  accountId: z.string().min(1),
  awsRegion: z.string().min(1),
  configurationItemCaptureTime: z.string().min(1),
  configuration: z.object({
    targetResourceId: z.string().min(1),
    targetResourceType: z.string().min(1),
    configRuleList: z.array(z.object({ configRuleName: z.string().min(1), complianceType: z.string().min(1) })),
  }),
});

/** One resource's compliance as a query row states it. */
export interface ResourceComplianceRow {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  capturedAt: string;
  rules: { ruleName: string; complianceType: string }[];
}

export function toResourceCompliance(text: string): ResourceComplianceRow {
  const parsed = Row.safeParse(parseEmbeddedJson(text, 'ResourceCompliance query result'));
  if (!parsed.success) throw new MalformedResponseError(`ResourceCompliance query result: ${describeIssue(parsed.error)}`);
  const r = parsed.data;
  return {
    accountId: r.accountId,
    region: r.awsRegion,
    resourceType: r.configuration.targetResourceType,
    resourceId: r.configuration.targetResourceId,
    capturedAt: r.configurationItemCaptureTime,
    rules: r.configuration.configRuleList.map((e) => ({ ruleName: e.configRuleName, complianceType: e.complianceType })),
  };
}
