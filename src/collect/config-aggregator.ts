import {
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeAggregateComplianceByConformancePacksCommand,
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  SelectAggregateResourceConfigCommand,
  type AggregatedSourceStatus,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { AuditpackError } from '../errors';
import { ComplianceType, PROCESS_CHECK_IDENTIFIER } from '../evidence/records';
import { isAwsFailure } from './aws-errors';
import { configClient, type ClientSettings } from './clients';
import type { Collector } from './collector';
import { locationKey, perRuleInstead, readBulkCompliance, writeHeld } from './config-bulk';
import { CONFIG_KINDS, EVALUATIONS_PAGE_SIZE, INVENTORY_FIELDS, INVENTORY_PAGE_SIZE, type Location } from './config-records';
import type { EvaluationReading } from './config-account';
import { collectRuleEvaluations } from './evaluations';
import { writeInventory } from './inventory';
import { describeFailure, type Where } from './gaps';
import { forEachLimited, type LimitedCall } from './limits';
import { checked, isoTimestamp } from './malformed';
import { allPages } from './paging';
import { managedRuleIdentifier } from './rule-identifiers';
import { resourceComplianceQuery } from './resource-compliance';
import type { CollectionRun } from './run';
import type { AccountTarget } from './scope';

const AGGREGATOR_COLLECTOR = 'config-aggregator';

export interface Aggregator {
  name: string;
  /** The account and Region the aggregator lives in: every request goes there. */
  accountId: string;
  region: string;
}

/** What the aggregator showed: the accounts and Regions its evidence came from. */
export interface AggregatorScope {
  accounts: string[];
  regions: string[];
  /** Rules whose managed identifier could not be told from their name (see rule-identifiers). */
  unresolvedRules: number;
}

/** DescribeAggregateComplianceByConfigRules and ...ByConformancePacks allow larger pages than the detail APIs. */
const RULES_PAGE_SIZE = 1000;
const PACKS_PAGE_SIZE = 100;

interface RuleLocation extends Location {
  ruleName: string;
}

/**
 * The Config evidence of every account and Region an aggregator holds, read with the
 * credentials of the aggregator's account (`home`); the pack's scope is what the aggregator showed.
 */
export function configAggregatorCollector(
  settings: ClientSettings,
  home: AccountTarget,
  aggregator: { name: string; region: string },
  regions: string[] | undefined,
  reading: EvaluationReading,
): Collector {
  return {
    name: AGGREGATOR_COLLECTOR,
    writes: CONFIG_KINDS,
    async collect(run) {
      const client = configClient(settings, aggregator.region, home.credentials);
      try {
        const seen = await collectThroughAggregator(run, client, { ...aggregator, accountId: home.accountId }, regions, reading);
        const notes = seen.unresolvedRules
          ? [`${seen.unresolvedRules} rule(s) not from a known conformance pack: the aggregator does not say which managed rule they run, so their evaluations are in the pack without a rule record`]
          : [];
        return { notes, scope: { accounts: seen.accounts.map((accountId) => ({ accountId, name: null })), regions: seen.regions } };
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * Collects AWS Config evidence for every account and Region an aggregator holds, from the
 * aggregator's account alone: this is how an organisation of a thousand accounts is collected.
 * `regions`, when given, limits collection to those Regions; otherwise every Region the
 * aggregator holds is in scope, so that data outside the allowed Regions is seen.
 */
async function collectThroughAggregator(
  run: CollectionRun,
  client: ConfigServiceClient,
  aggregator: Aggregator,
  regions: string[] | undefined,
  reading: EvaluationReading,
): Promise<AggregatorScope> {
  const limiter = run.limits.for('config', aggregator.accountId, aggregator.region);
  const call = <T>(send: () => Promise<T>) => limiter.run(send);
  const where = (operation: string, loc: Partial<Location> = {}): Where => ({
    collector: AGGREGATOR_COLLECTOR,
    service: 'config',
    operation,
    accountId: loc.accountId ?? null,
    region: loc.region ?? null,
  });
  const inScope = (region: string | undefined) => !!region && (!regions || regions.includes(region));
  const seen = { accounts: new Set<string>(), regions: new Set<string>() };
  const observe = (loc: Location) => {
    seen.accounts.add(loc.accountId);
    seen.regions.add(loc.region);
  };

  await requireAggregator(client, aggregator, call);

  const sources = await run.step(where('DescribeConfigurationAggregatorSourcesStatus'), () =>
    allPages((NextToken) =>
      call(() => client.send(new DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: aggregator.name, NextToken }))).then((o) => ({
        items: o.AggregatedSourceStatusList ?? [],
        nextToken: o.NextToken,
      })),
    ),
  );

  const ruleLocations = await run.step(where('DescribeAggregateComplianceByConfigRules'), () =>
    allPages((NextToken) =>
      call(() => client.send(new DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: aggregator.name, Limit: RULES_PAGE_SIZE, NextToken }))).then((o) => ({
        items: o.AggregateComplianceByConfigRules ?? [],
        nextToken: o.NextToken,
      })),
    ),
  );
  // Keyed, because a listing read while the aggregator updates can name a rule twice.
  const rulesByKey = new Map<string, RuleLocation>();
  for (const r of ruleLocations.ok ? ruleLocations.value : []) {
    if (r.ConfigRuleName && r.AccountId && inScope(r.AwsRegion)) {
      rulesByKey.set(`${r.AccountId}/${r.AwsRegion}/${r.ConfigRuleName}`, { ruleName: r.ConfigRuleName, accountId: r.AccountId, region: r.AwsRegion! });
    }
  }
  const rules = [...rulesByKey.values()];
  let unresolvedRules = 0;
  for (const rule of rules) {
    observe(rule);
    const identifier = managedRuleIdentifier(rule.ruleName);
    if (identifier) await run.write('configRules', aggregatedRule(rule, identifier));
    else unresolvedRules++;
  }

  const packs = await run.step(where('DescribeAggregateComplianceByConformancePacks'), () =>
    allPages((NextToken) =>
      call(() =>
        client.send(new DescribeAggregateComplianceByConformancePacksCommand({ ConfigurationAggregatorName: aggregator.name, Limit: PACKS_PAGE_SIZE, NextToken })),
      ).then((o) => ({ items: o.AggregateComplianceByConformancePacks ?? [], nextToken: o.NextToken })),
    ),
  );
  for (const p of packs.ok ? packs.value : []) {
    if (!inScope(p.AwsRegion)) continue;
    const record = await run.step(where('DescribeAggregateComplianceByConformancePacks', { accountId: p.AccountId, region: p.AwsRegion }), async () =>
      checked('conformancePacks', { accountId: p.AccountId, region: p.AwsRegion, name: p.ConformancePackName, complianceType: p.Compliance?.ComplianceType }, `conformance pack ${p.ConformancePackName}`),
    );
    if (record.ok) {
      observe(record.value);
      await run.write('conformancePacks', record.value);
    }
  }

  /** The pages of one rule's results at one location, of every compliance type. */
  const details = (loc: Location, ConfigRuleName: string) => (NextToken: string | undefined) =>
    call(() =>
      client.send(
        new GetAggregateComplianceDetailsByConfigRuleCommand({
          ConfigurationAggregatorName: aggregator.name,
          ConfigRuleName,
          AccountId: loc.accountId,
          AwsRegion: loc.region,
          Limit: EVALUATIONS_PAGE_SIZE,
          NextToken,
        }),
      ),
    ).then((o) => ({ items: o.AggregateEvaluationResults ?? [], nextToken: o.NextToken }));
  const perRule = async (list: RuleLocation[]) => {
    run.progress.expect(list.length);
    await forEachLimited(list, limiter.concurrency, async (rule) => {
      const query = details(rule, rule.ruleName);
      await collectRuleEvaluations(run, where('GetAggregateComplianceDetailsByConfigRule', rule), rule, rule.ruleName, query);
      run.progress.done(1);
    });
    for (const rule of list) reading.paths.record(rule, 'per-rule');
  };
  if (reading.mode === 'per-rule') await perRule(rules);
  else await collectInBulk();

  /**
   * Every rule's results from the ResourceCompliance items of every account and Region the
   * aggregator holds (config-bulk.ts), then per rule where a location records none of them.
   */
  async function collectInBulk(): Promise<void> {
    const rulesAt = new Map<string, { loc: Location; names: Set<string> }>();
    for (const rule of rules) {
      const at = rulesAt.get(locationKey(rule)) ?? { loc: { accountId: rule.accountId, region: rule.region }, names: new Set<string>() };
      rulesAt.set(locationKey(rule), at);
      at.names.add(rule.ruleName);
    }
    const Expression = resourceComplianceQuery(regions);
    const query = (NextToken: string | undefined) =>
      call(() => client.send(new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: aggregator.name, Expression, Limit: INVENTORY_PAGE_SIZE, NextToken }))).then((o) => ({
        items: o.Results ?? [],
        nextToken: o.NextToken,
      }));
    run.progress.expect(1);
    const read = await readBulkCompliance(run, where('SelectAggregateResourceConfig'), query, {
      // The per-rule aggregate path asks for no type in particular, and so gets every type there is.
      resultTypes: new Set(ComplianceType.options),
      rulesAt: (loc) => rulesAt.get(locationKey(loc))?.names,
      annotationMatters: (_loc, ruleName) => managedRuleIdentifier(ruleName) === PROCESS_CHECK_IDENTIFIER,
    });
    run.progress.done(1, `config: ${read.evaluations} evaluations from ${read.itemsAt.size} account-Regions' ResourceCompliance items`);
    await writeHeld(run, read.held, (loc) => where('GetAggregateComplianceDetailsByConfigRule', loc), (loc, ruleName) => details(loc, ruleName));
    // The aggregator lists only rules with results: a location with rules and no item does not record the type.
    const fallback = new Set<string>();
    for (const [key, { loc }] of rulesAt) {
      if (read.complete && !read.itemsAt.has(key) && perRuleInstead(run, reading.mode, where('SelectAggregateResourceConfig'), loc)) fallback.add(key);
      else reading.paths.record(loc, 'bulk');
    }
    await perRule(rules.filter((r) => fallback.has(locationKey(r))));
  }

  await run.step(where('SelectAggregateResourceConfig'), () => {
    const Expression = regions ? `${INVENTORY_FIELDS} WHERE awsRegion IN (${regions.map((r) => `'${r}'`).join(', ')})` : INVENTORY_FIELDS;
    const query = (NextToken: string | undefined) =>
      call(() => client.send(new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: aggregator.name, Expression, Limit: INVENTORY_PAGE_SIZE, NextToken }))).then((o) => ({
        items: o.Results ?? [],
        nextToken: o.NextToken,
      }));
    return writeInventory(run, query, { region: null, keep: (r) => inScope(r.region), written: observe });
  });

  if (sources.ok) await writeSourceStatus(run, sources.value.filter((s) => inScope(s.AwsRegion)), seen.accounts, observe, where);
  return { accounts: [...seen.accounts].sort(), regions: regions ?? [...seen.regions].sort(), unresolvedRules };
}

/** A wrong aggregator name or Region would collect nothing: that is an error, not a gap. */
async function requireAggregator(client: ConfigServiceClient, aggregator: Aggregator, call: LimitedCall): Promise<void> {
  const named = `aggregator "${aggregator.name}" in ${aggregator.accountId} ${aggregator.region}`;
  try {
    const found = await call(() => client.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [aggregator.name] })));
    if (!found.ConfigurationAggregators?.some((a) => a.ConfigurationAggregatorName === aggregator.name)) throw new AuditpackError(`--aggregator: no ${named}`);
  } catch (e) {
    if (!isAwsFailure(e)) throw e;
    const error = e as Error;
    if (error.name === 'NoSuchConfigurationAggregatorException') throw new AuditpackError(`--aggregator: no ${named}`);
    throw new AuditpackError(`cannot read ${named}: ${describeFailure(error)}`);
  }
}

/**
 * A rule as an aggregator knows it: the aggregate APIs return neither its ARN, its parameters,
 * its state nor its conformance pack, so those are recorded as unknown or empty.
 */
function aggregatedRule(rule: RuleLocation, sourceIdentifier: string) {
  return checked(
    'configRules',
    {
      accountId: rule.accountId,
      region: rule.region,
      ruleName: rule.ruleName,
      ruleArn: null,
      sourceOwner: 'AWS',
      sourceIdentifier,
      conformancePack: null,
      inputParameters: {},
      // Only rules with evaluation results are listed by the aggregator: they are running.
      state: 'ACTIVE',
    },
    `rule ${rule.ruleName}`,
  );
}

/**
 * What the aggregator says about each source: whether its data from the account and Region
 * is current. That is the recorder status the aggregator can vouch for (the recorders
 * themselves are only visible from each account). A source that failed or fell behind leaves
 * a gap. An organisation source covers every account of the organisation in a Region, so its
 * status applies to each account the aggregator holds evidence for there.
 */
async function writeSourceStatus(
  run: CollectionRun,
  sources: AggregatedSourceStatus[],
  organisationAccounts: Set<string>,
  observe: (loc: Location) => void,
  where: (operation: string, loc?: Partial<Location>) => Where,
): Promise<void> {
  for (const source of sources) {
    const region = source.AwsRegion!;
    const accounts = source.SourceType === 'ORGANIZATION' ? [...organisationAccounts] : [source.SourceId ?? ''];
    const succeeded = source.LastUpdateStatus === 'SUCCEEDED';
    if (!succeeded) {
      run.recordGap({
        ...where('DescribeConfigurationAggregatorSourcesStatus', { accountId: source.SourceType === 'ACCOUNT' ? source.SourceId : undefined, region }),
        errorCode: source.LastErrorCode || `Aggregation${source.LastUpdateStatus ?? 'Unknown'}`,
        message: `the aggregator's data from ${source.SourceType === 'ORGANIZATION' ? `organisation ${source.SourceId}` : `account ${source.SourceId}`} in ${region} is ${(source.LastUpdateStatus ?? 'of unknown status').toLowerCase()}${source.LastErrorMessage ? `: ${source.LastErrorMessage}` : ''}`,
      });
    }
    for (const accountId of accounts) {
      const record = await run.step(where('DescribeConfigurationAggregatorSourcesStatus', { accountId, region }), async () =>
        checked(
          'recorderStatus',
          {
            accountId,
            region,
            recorderName: null,
            recording: succeeded,
            lastStatus: succeeded ? 'SUCCESS' : 'FAILURE',
            lastStatusChangeTime: isoTimestamp(source.LastUpdateTime),
            deliveryChannelName: null,
            lastDeliveryStatus: null,
          },
          `aggregation source ${source.SourceId} ${region}`,
        ),
      );
      if (record.ok) {
        observe(record.value);
        await run.write('recorderStatus', record.value);
      }
    }
  }
}
