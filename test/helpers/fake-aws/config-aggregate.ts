import type { Resource } from '../../../src/evidence/records';
import { parseAdvancedQuery } from './advanced-query';
import type { Operation } from './config';
import { complianceItems } from './config-compliance';
import { AWS_PAGES, checkLimit, ClientError, evaluationResult, page, packsAt, pageSize, ruleAt, selectAnswer, complianceAnswer, type Json, type PageSizes } from './config-wire';
import type { FakeRequest } from './server';
import { concat, type FakeData, type LocationData, type Sequence } from './store';

export interface FakeAggregator {
  name: string;
  accountId: string;
  region: string;
  /** The status of each source (account and Region) the aggregator reports. */
  sources: { accountId: string; region: string; status: 'SUCCEEDED' | 'FAILED' | 'OUTDATED' }[];
}

/** Computed on first use and kept: the organisation-wide listings are the same for every page. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * The aggregate operations, all served in the aggregator's account and Region from the data of
 * every location. Like Config, the aggregator lists only the rules that have evaluation results.
 */
export function aggregateOperations(data: FakeData, pages: PageSizes, aggregator: FakeAggregator | undefined): Record<string, Operation> {
  const requireAggregator = (input: Json, req: FakeRequest) => {
    if (!aggregator || input.ConfigurationAggregatorName !== aggregator.name || req.accountId !== aggregator.accountId || req.scope.region !== aggregator.region) {
      throw new ClientError('NoSuchConfigurationAggregatorException', `The configuration aggregator does not exist.`);
    }
    return aggregator;
  };
  const ruleCompliance = once(() =>
    data.locations.flatMap((l) =>
      l.rules.filter((r) => r.resultCount > 0).map((r) => ({ ConfigRuleName: r.name, AccountId: l.accountId, AwsRegion: l.region, Compliance: { ComplianceType: r.compliance } })),
    ),
  );
  const packCompliance = once(() =>
    data.locations.flatMap((l) => packsAt(l).map((p) => ({ ConformancePackName: p.name, AccountId: l.accountId, AwsRegion: l.region, Compliance: { ComplianceType: p.compliance } }))),
  );
  /** The organisation-wide listing of some Regions (every Region without `regions`), made once per Regions asked for. */
  const acrossLocations = <T>(part: (l: LocationData) => Sequence<T>) => {
    const made = new Map<string, Sequence<T>>();
    return (regions: string[] | undefined): Sequence<T> => {
      const key = regions?.join(',') ?? '*';
      let all = made.get(key);
      if (!all) made.set(key, (all = concat(data.locations.filter((l) => !regions || regions.includes(l.region)).map(part))));
      return all;
    };
  };
  const inventoryIn = acrossLocations<Resource>((l) => l.resources);
  const complianceIn = acrossLocations(complianceItems);

  return {
    DescribeConfigurationAggregators: (input, req) => {
      const names = input.ConfigurationAggregatorNames as string[];
      if (!aggregator || !names.includes(aggregator.name) || req.accountId !== aggregator.accountId || req.scope.region !== aggregator.region) {
        throw new ClientError('NoSuchConfigurationAggregatorException', 'The configuration aggregator does not exist.');
      }
      return {
        ConfigurationAggregators: [
          {
            ConfigurationAggregatorName: aggregator.name,
            ConfigurationAggregatorArn: `arn:aws:config:${aggregator.region}:${aggregator.accountId}:config-aggregator/config-aggregator-abc`,
            AccountAggregationSources: [{ AccountIds: data.accounts, AllAwsRegions: true }],
          },
        ],
      };
    },
    DescribeConfigurationAggregatorSourcesStatus: (input, req) => {
      const a = requireAggregator(input, req);
      checkLimit(input, AWS_PAGES.sources);
      const p = page(a.sources, pageSize(input, pages.sources, AWS_PAGES.sources), input.NextToken);
      return {
        AggregatedSourceStatusList: p.items.map((s) => ({
          SourceId: s.accountId,
          SourceType: 'ACCOUNT',
          AwsRegion: s.region,
          LastUpdateStatus: s.status,
          LastUpdateTime: Date.parse('2026-11-16T21:00:00Z') / 1000,
          ...(s.status === 'FAILED' ? { LastErrorCode: 'AccessDenied', LastErrorMessage: 'The aggregator is not authorized in the source account' } : {}),
        })),
        NextToken: p.NextToken,
      };
    },
    DescribeAggregateComplianceByConfigRules: (input, req) => {
      requireAggregator(input, req);
      checkLimit(input, AWS_PAGES.ruleCompliance);
      const p = page(ruleCompliance(), pageSize(input, pages.ruleCompliance, AWS_PAGES.ruleCompliance), input.NextToken);
      return { AggregateComplianceByConfigRules: p.items, NextToken: p.NextToken };
    },
    DescribeAggregateComplianceByConformancePacks: (input, req) => {
      requireAggregator(input, req);
      checkLimit(input, AWS_PAGES.packCompliance);
      const p = page(packCompliance(), pageSize(input, pages.packCompliance, AWS_PAGES.packCompliance), input.NextToken);
      return { AggregateComplianceByConformancePacks: p.items, NextToken: p.NextToken };
    },
    GetAggregateComplianceDetailsByConfigRule: (input, req) => {
      requireAggregator(input, req);
      checkLimit(input, AWS_PAGES.evaluations);
      const rule = ruleAt(data.at(String(input.AccountId), String(input.AwsRegion)), input.ConfigRuleName);
      const types = input.ComplianceType ? [String(input.ComplianceType)] : ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];
      // The API's default page is 50 results.
      const p = page(rule.results(types), pageSize(input, pages.evaluations, 50), input.NextToken);
      return { AggregateEvaluationResults: p.items.map((e) => ({ ...evaluationResult(e), AccountId: e.accountId, AwsRegion: e.region })), NextToken: p.NextToken };
    },
    SelectAggregateResourceConfig: (input, req) => {
      requireAggregator(input, req);
      checkLimit(input, AWS_PAGES.resources);
      const query = parseAdvancedQuery(input.Expression);
      // A query without GROUP BY gets 25 rows a page unless it asks for more.
      const size = pageSize(input, pages.resources, 25);
      if (query.kind === 'compliance') return complianceAnswer(page(complianceIn(query.regions), size, input.NextToken));
      return selectAnswer(page(inventoryIn(query.regions), size, input.NextToken));
    },
  };
}
