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
import { PROCESS_CHECK_IDENTIFIER, type ComplianceType } from '../evidence/records';
import { isNetworkError, isRegionUnavailable, isTimeout } from './aws-errors';
import { configClient, type ClientSettings } from './clients';
import type { Collector } from './collector';
import type { CollectMode } from './collect-mode';
import { perRuleInstead, readBulkCompliance, writeHeld } from './config-bulk';
import {
  CONFIG_KINDS,
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
import type { EvaluationPaths } from './evaluation-paths';
import type { Where } from './gaps';
import { writeInventory } from './inventory';
import { forEachLimited, Limiter, type LimitedCall } from './limits';
import { checked } from './malformed';
import { allPages } from './paging';
import { resourceComplianceQuery } from './resource-compliance';
import type { CollectionRun } from './run';
import type { AccountTarget } from './scope';

const CONFIG_COLLECTOR = 'config';

/**
 * The largest pages DescribeConformancePacks and DescribeConformancePackCompliance allow: their
 * defaults are not documented, so the largest is asked for, as for every other listing.
 */
const PACKS_PAGE_SIZE = 20;
const PACK_RULES_PAGE_SIZE = 1000;

/**
 * Requests in flight overall (and so sockets open), as a multiple of --concurrency: what eight
 * account-Regions side by side send when each has its full --concurrency of rules under way.
 */
const IN_FLIGHT_PER_CONCURRENCY = 8;

/** How evaluations are read (--collect-mode), and where each location's path is recorded. */
export interface EvaluationReading {
  mode: CollectMode;
  paths: EvaluationPaths;
}

/** What one account and Region gave, for the progress line. */
export interface LocationTally {
  rules: number;
  evaluations: number;
  resources: number;
}

/**
 * The Config evidence of each account reached (the caller's and each role's) in every Region in
 * scope.
 */
export function configAccountsCollector(settings: ClientSettings, targets: AccountTarget[], regions: string[], reading: EvaluationReading): Collector {
  return {
    name: CONFIG_COLLECTOR,
    writes: CONFIG_KINDS,
    async collect(run) {
      const locations = targets.flatMap((target) => regions.map((region) => ({ target, region })));
      run.progress.expect(locations.length);
      // As many locations under way as requests may be in flight: a location read in bulk pages
      // one request at a time, so with fewer the bulk path would leave the bound mostly unused,
      // while per rule the overall limiter keeps the requests in flight where they were.
      const inFlight = new Limiter(IN_FLIGHT_PER_CONCURRENCY * run.limits.concurrency);
      await forEachLimited(locations, inFlight.concurrency, async ({ target, region }) => {
        const client = configClient(settings, region, target.credentials);
        try {
          const t = await collectConfigLocation(run, client, { accountId: target.accountId, region }, reading, inFlight);
          run.progress.done(1, `config ${target.accountId} ${region}: ${t.rules} rules, ${t.evaluations} evaluations, ${t.resources} resources`);
        } finally {
          client.destroy();
        }
      });
      return { notes: [] };
    },
  };
}

/**
 * Collects the AWS Config evidence of one account in one Region: recorder and delivery state,
 * rules with their conformance packs, every evaluation result of every rule, and the resource
 * inventory. Each operation that fails leaves a gap and the others still run; a Region that is
 * not enabled for the account fails its first call, and then nothing else is tried there. Nor
 * is it when that call could not reach Config at all (every attempt timed out or found no
 * connection): each further operation would wait out the same attempts.
 */
async function collectConfigLocation(run: CollectionRun, client: ConfigServiceClient, loc: Location, reading: EvaluationReading, inFlight: Limiter): Promise<LocationTally> {
  const tally: LocationTally = { rules: 0, evaluations: 0, resources: 0 };
  const limiter = run.limits.for('config', loc.accountId, loc.region);
  // The location's slot first, then the overall one: a request holding an overall slot is
  // already being sent, so the two limiters can never wait on each other.
  const call = <T>(send: () => Promise<T>) => limiter.run(() => inFlight.run(send));
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
  const packRules = await collectConformancePacks(run, client, loc, call, where);

  if (rules.ok) {
    const named = rules.value.filter((r): r is ApiConfigRule & { ConfigRuleName: string } => !!r.ConfigRuleName);
    for (const rule of named) {
      const record = await run.step(where('DescribeConfigRules'), async () => toRule(loc, rule, packRules.get(rule.ConfigRuleName)?.pack ?? null));
      if (record.ok) await run.write('configRules', record.value);
    }
    tally.rules = named.length;
    const perRule = async () => {
      run.progress.expect(named.length);
      // Rule by rule, never all at once: as many rules in progress as requests the limiter allows.
      await forEachLimited(named, limiter.concurrency, async (rule) => {
        const query = ruleResults(client, call, rule.ConfigRuleName, EVALUATION_RESULT_TYPES);
        const written = await collectRuleEvaluations(run, where('GetComplianceDetailsByConfigRule'), loc, rule.ConfigRuleName, query);
        tally.evaluations += written;
        run.progress.done(1);
      });
      reading.paths.record(loc, 'per-rule');
    };
    // A location without rules has no evaluations to read by either path.
    if (named.length && reading.mode === 'per-rule') await perRule();
    else if (named.length) {
      const bulk = await collectInBulk(run, client, loc, named, call, where);
      tally.evaluations += bulk.evaluations;
      // A pack rule Config rolls up as INSUFFICIENT_DATA has no result to miss; any other rule may have.
      const reportsResults = named.some((r) => ['COMPLIANT', 'NON_COMPLIANT', undefined].includes(packRules.get(r.ConfigRuleName)?.compliance));
      if (bulk.complete && !bulk.items && reportsResults && perRuleInstead(run, reading.mode, where('SelectResourceConfig'), loc)) await perRule();
      else reading.paths.record(loc, 'bulk');
    }
  }

  await run.step(where('SelectResourceConfig'), () => {
    const query = (NextToken: string | undefined) =>
      call(() => client.send(new SelectResourceConfigCommand({ Expression: INVENTORY_FIELDS, Limit: INVENTORY_PAGE_SIZE, NextToken }))).then((o) => ({ items: o.Results ?? [], nextToken: o.NextToken }));
    return writeInventory(run, query, { region: loc.region, written: () => tally.resources++ });
  });
  return tally;
}

/**
 * Evaluations of one location from its ResourceCompliance items (config-bulk.ts), for the rules
 * listed there; process checks' annotations are read per rule (config-bulk.ts, annotationMatters).
 */
async function collectInBulk(run: CollectionRun, client: ConfigServiceClient, loc: Location, rules: (ApiConfigRule & { ConfigRuleName: string })[], call: LimitedCall, where: (op: string) => Where) {
  const names = new Set(rules.map((r) => r.ConfigRuleName));
  const processChecks = new Set(rules.filter((r) => r.Source?.SourceIdentifier === PROCESS_CHECK_IDENTIFIER).map((r) => r.ConfigRuleName));
  const Expression = resourceComplianceQuery();
  const query = (NextToken: string | undefined) =>
    call(() => client.send(new SelectResourceConfigCommand({ Expression, Limit: INVENTORY_PAGE_SIZE, NextToken }))).then((o) => ({ items: o.Results ?? [], nextToken: o.NextToken }));
  const read = await readBulkCompliance(run, where('SelectResourceConfig'), query, {
    resultTypes: new Set(EVALUATION_RESULT_TYPES),
    rulesAt: (at) => (at.accountId === loc.accountId && at.region === loc.region ? names : undefined),
    annotationMatters: (_at, ruleName) => processChecks.has(ruleName),
  });
  await writeHeld(run, read.held, () => where('GetComplianceDetailsByConfigRule'), (_at, ruleName) => ruleResults(client, call, ruleName, ['COMPLIANT', 'NON_COMPLIANT']));
  return { complete: read.complete, items: read.itemsAt.size, evaluations: read.evaluations };
}

/** The pages of one rule's results of some compliance types. */
function ruleResults(client: ConfigServiceClient, call: LimitedCall, ConfigRuleName: string, ComplianceTypes: ComplianceType[]) {
  return (NextToken: string | undefined) =>
    call(() => client.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName, ComplianceTypes, Limit: EVALUATIONS_PAGE_SIZE, NextToken }))).then((o) => ({
      items: o.EvaluationResults ?? [],
      nextToken: o.NextToken,
    }));
}

/** Writes each conformance pack's compliance and returns each rule's pack and compliance there. */
async function collectConformancePacks(
  run: CollectionRun,
  client: ConfigServiceClient,
  loc: Location,
  call: LimitedCall,
  where: (op: string) => Where,
): Promise<Map<string, { pack: string; compliance: string | undefined }>> {
  const packOfRule = new Map<string, { pack: string; compliance: string | undefined }>();
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
    for (const rule of rules.value) if (rule.ConfigRuleName) packOfRule.set(rule.ConfigRuleName, { pack: name, compliance: rule.ComplianceType });
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
