import {
  DescribeConfigRulesCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConformancePackComplianceCommand,
  DescribeConformancePacksCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  SelectResourceConfigCommand,
  type ConfigRule as ApiConfigRule,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { isNetworkError, isRegionUnavailable, isTimeout } from './aws-errors';
import {
  EVALUATION_RESULT_TYPES,
  EVALUATIONS_PAGE_SIZE,
  INVENTORY_FIELDS,
  INVENTORY_PAGE_SIZE,
  toConformancePack,
  toInputParameters,
  toRecorderStatus,
  type Location,
} from './config-records';
import { collectRuleEvaluations } from './evaluations';
import type { Where } from './gaps';
import { writeInventory } from './inventory';
import { forEachLimited, type LimitedCall } from './limits';
import { checked } from './malformed';
import { allPages } from './paging';
import type { CollectionRun } from './run';

export const CONFIG_COLLECTOR = 'config';

/**
 * The largest pages DescribeConformancePacks and DescribeConformancePackCompliance allow: their
 * defaults are not documented, so the largest is asked for, as for every other listing.
 */
const PACKS_PAGE_SIZE = 20;
const PACK_RULES_PAGE_SIZE = 1000;

/** What one account and Region gave, for the progress line. */
export interface LocationTally {
  rules: number;
  evaluations: number;
  resources: number;
}

/**
 * Collects the AWS Config evidence of one account in one Region: recorder and delivery state,
 * rules with their conformance packs, every evaluation result of every rule, and the resource
 * inventory. Each operation that fails leaves a gap and the others still run; a Region that is
 * not enabled for the account fails its first call, and then nothing else is tried there. Nor
 * is it when that call could not reach Config at all (every attempt timed out or found no
 * connection): each further operation would wait out the same attempts.
 */
export async function collectConfigLocation(run: CollectionRun, client: ConfigServiceClient, loc: Location): Promise<LocationTally> {
  const tally: LocationTally = { rules: 0, evaluations: 0, resources: 0 };
  const limiter = run.limits.for('config', loc.accountId, loc.region);
  const call = <T>(send: () => Promise<T>) => limiter.run(send);
  const where = (operation: string): Where => ({ collector: CONFIG_COLLECTOR, service: 'config', operation, ...loc });

  const recorders = await run.step(where('DescribeConfigurationRecorders'), () => call(() => client.send(new DescribeConfigurationRecordersCommand({}))));
  if (!recorders.ok && [isRegionUnavailable, isTimeout, isNetworkError].some((unreachable) => unreachable(recorders.error))) return tally;
  const statuses = await run.step(where('DescribeConfigurationRecorderStatus'), () => call(() => client.send(new DescribeConfigurationRecorderStatusCommand({}))));
  const channels = await run.step(where('DescribeDeliveryChannels'), () => call(() => client.send(new DescribeDeliveryChannelsCommand({}))));
  const channelStatuses = await run.step(where('DescribeDeliveryChannelStatus'), () => call(() => client.send(new DescribeDeliveryChannelStatusCommand({}))));
  // Without both recorder answers the recording state is unknown, and no record claims one.
  if (recorders.ok && statuses.ok) {
    const delivery = channels.ok && channelStatuses.ok ? { channels: channels.value.DeliveryChannels ?? [], statuses: channelStatuses.value.DeliveryChannelsStatus ?? [] } : null;
    const record = await run.step(where('DescribeConfigurationRecorderStatus'), async () =>
      toRecorderStatus(loc, recorders.value.ConfigurationRecorders ?? [], statuses.value.ConfigurationRecordersStatus ?? [], delivery),
    );
    if (record.ok) await run.write('recorderStatus', record.value);
  }

  const rules = await run.step(where('DescribeConfigRules'), () =>
    allPages((NextToken) => call(() => client.send(new DescribeConfigRulesCommand({ NextToken }))).then((o) => ({ items: o.ConfigRules ?? [], nextToken: o.NextToken }))),
  );
  const packOfRule = await collectConformancePacks(run, client, loc, call, where);

  if (rules.ok) {
    const named = rules.value.filter((r): r is ApiConfigRule & { ConfigRuleName: string } => !!r.ConfigRuleName);
    run.progress.expect(named.length);
    for (const rule of named) {
      const record = await run.step(where('DescribeConfigRules'), async () => toRule(loc, rule, packOfRule.get(rule.ConfigRuleName) ?? null));
      if (record.ok) await run.write('configRules', record.value);
    }
    tally.rules = named.length;
    // Rule by rule, never all at once: as many rules in progress as requests the limiter allows.
    await forEachLimited(named, limiter.concurrency, async (rule) => {
      const query = (NextToken: string | undefined) =>
        call(() =>
          client.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: rule.ConfigRuleName, ComplianceTypes: EVALUATION_RESULT_TYPES, Limit: EVALUATIONS_PAGE_SIZE, NextToken })),
        ).then((o) => ({ items: o.EvaluationResults ?? [], nextToken: o.NextToken }));
      const written = await collectRuleEvaluations(run, where('GetComplianceDetailsByConfigRule'), loc, rule.ConfigRuleName, query);
      tally.evaluations += written;
      run.progress.done(1);
    });
  }

  await run.step(where('SelectResourceConfig'), () => {
    const query = (NextToken: string | undefined) =>
      call(() => client.send(new SelectResourceConfigCommand({ Expression: INVENTORY_FIELDS, Limit: INVENTORY_PAGE_SIZE, NextToken }))).then((o) => ({ items: o.Results ?? [], nextToken: o.NextToken }));
    return writeInventory(run, query, { region: loc.region, written: () => tally.resources++ });
  });
  return tally;
}

/** Writes each conformance pack's compliance and returns which pack each rule belongs to. */
async function collectConformancePacks(run: CollectionRun, client: ConfigServiceClient, loc: Location, call: LimitedCall, where: (op: string) => Where): Promise<Map<string, string>> {
  const packOfRule = new Map<string, string>();
  const packs = await run.step(where('DescribeConformancePacks'), () =>
    allPages((NextToken) => call(() => client.send(new DescribeConformancePacksCommand({ Limit: PACKS_PAGE_SIZE, NextToken }))).then((o) => ({ items: o.ConformancePackDetails ?? [], nextToken: o.NextToken }))),
  );
  if (!packs.ok) return packOfRule;
  for (const name of packs.value.map((p) => p.ConformancePackName).filter((n): n is string => !!n)) {
    const rules = await run.step(
      where('DescribeConformancePackCompliance'),
      () =>
        allPages((NextToken) =>
          call(() => client.send(new DescribeConformancePackComplianceCommand({ ConformancePackName: name, Limit: PACK_RULES_PAGE_SIZE, NextToken }))).then((o) => ({
            items: o.ConformancePackRuleComplianceList ?? [],
            nextToken: o.NextToken,
          })),
        ),
      `conformance pack ${name}`,
    );
    if (!rules.ok) continue;
    for (const rule of rules.value) if (rule.ConfigRuleName) packOfRule.set(rule.ConfigRuleName, name);
    const record = await run.step(where('DescribeConformancePackCompliance'), async () => toConformancePack(loc, name, rules.value.map((r) => r.ComplianceType)));
    if (record.ok) await run.write('conformancePacks', record.value);
  }
  return packOfRule;
}

/**
 * A rule as the pack records it. Rules written in Guard (CUSTOM_POLICY) have no source
 * identifier; their name stands in for it, which is what a custom mapping can key on.
 */
function toRule(loc: Location, rule: ApiConfigRule & { ConfigRuleName: string }, conformancePack: string | null) {
  const owner = rule.Source?.Owner;
  return checked(
    'configRules',
    {
      ...loc,
      ruleName: rule.ConfigRuleName,
      ruleArn: rule.ConfigRuleArn ?? null,
      sourceOwner: owner,
      sourceIdentifier: owner === 'CUSTOM_POLICY' ? rule.ConfigRuleName : rule.Source?.SourceIdentifier,
      conformancePack,
      inputParameters: toInputParameters(rule.InputParameters, rule.ConfigRuleName),
      state: rule.ConfigRuleState,
    },
    `rule ${rule.ConfigRuleName}`,
  );
}
