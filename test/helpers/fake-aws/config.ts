import type { ConfigRule, Evaluation, Resource } from '../../../src/evidence/records';
import { ruleCompliance, type FakeEstate, type FakeLocation } from './estate';
import type { FakeRequest, FakeResponse, FakeService } from './server';

/**
 * AWS Config in its awsJson1_1 protocol: POST / with `X-Amz-Target: StarlingDoveService.<Op>`,
 * JSON in and out, timestamps as epoch seconds, NextToken paging, errors as `__type` with the
 * x-amzn-ErrorType header. Pages are deliberately small so every listing takes several.
 */
export const PAGE = { rules: 2, evaluations: 3, resources: 4, packs: 1, aggregate: 3 };

export interface FakeAggregator {
  name: string;
  accountId: string;
  region: string;
  /** The status of each source (account and Region) the aggregator reports. */
  sources: { accountId: string; region: string; status: 'SUCCEEDED' | 'FAILED' | 'OUTDATED' }[];
}

type Json = Record<string, unknown>;

const epoch = (iso: string | null) => (iso === null ? undefined : Date.parse(iso) / 1000);
const title = (s: string | null) => (s === null ? undefined : s === 'NOT_APPLICABLE' ? 'Not_Applicable' : s[0] + s.slice(1).toLowerCase());

class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One page of `items` from an opaque token, and the token of the next. */
function page<T>(items: T[], size: number, token: unknown): { items: T[]; NextToken?: string } {
  const start = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(String(token))?.[1] ?? NaN);
  if (!Number.isInteger(start)) throw new ClientError('InvalidNextTokenException', 'The nextToken provided is invalid');
  const end = start + size;
  return { items: items.slice(start, end), NextToken: end < items.length ? `page-${end}` : undefined };
}

const evaluationResult = (e: Evaluation) => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: { ConfigRuleName: e.ruleName, ResourceType: e.resourceType, ResourceId: e.resourceId, EvaluationMode: 'DETECTIVE' },
    OrderingTimestamp: epoch(e.resultRecordedTime),
  },
  ComplianceType: e.complianceType,
  ResultRecordedTime: epoch(e.resultRecordedTime),
  ConfigRuleInvokedTime: epoch(e.configRuleInvokedTime),
  ...(e.annotation === null ? {} : { Annotation: e.annotation }),
});

const inventoryRow = (r: Resource) =>
  JSON.stringify({ accountId: r.accountId, awsRegion: r.region, resourceType: r.resourceType, resourceId: r.resourceId, ...(r.resourceName ? { resourceName: r.resourceName } : {}), ...(r.arn ? { arn: r.arn } : {}) });

const apiRule = (r: ConfigRule) => ({
  ConfigRuleName: r.ruleName,
  ConfigRuleArn: r.ruleArn ?? undefined,
  ConfigRuleId: r.ruleArn?.split('/').pop(),
  Source: { Owner: r.sourceOwner, SourceIdentifier: r.sourceIdentifier },
  ...(Object.keys(r.inputParameters).length ? { InputParameters: JSON.stringify(r.inputParameters) } : {}),
  ConfigRuleState: r.state,
  CreatedBy: r.conformancePack ? 'config-conforms.amazonaws.com' : undefined,
});

export function fakeConfig(estate: FakeEstate, aggregator?: FakeAggregator): FakeService {
  const at = (accountId: string, region: string): FakeLocation | undefined => estate.locations.find((l) => l.accountId === accountId && l.region === region);
  const rulesOf = (loc: FakeLocation | undefined, name: unknown) => {
    const rule = loc?.rules.find((r) => r.ruleName === name);
    if (!rule) throw new ClientError('NoSuchConfigRuleException', `The ConfigRule '${String(name)}' provided in the request is invalid.`);
    return rule;
  };
  const requireAggregator = (input: Json, req: FakeRequest) => {
    if (!aggregator || input.ConfigurationAggregatorName !== aggregator.name || req.accountId !== aggregator.accountId || req.scope.region !== aggregator.region) {
      throw new ClientError('NoSuchConfigurationAggregatorException', `The configuration aggregator does not exist.`);
    }
    return aggregator;
  };
  const limit = (input: Json, max: number) => {
    if (typeof input.Limit === 'number' && input.Limit > max) throw new ClientError('ValidationException', `Limit must be less than or equal to ${max}`);
  };

  const operations: Record<string, (input: Json, req: FakeRequest, loc: FakeLocation | undefined) => Json> = {
    DescribeConfigurationRecorders: (_i, _r, loc) => ({
      ConfigurationRecorders: [
        ...(loc?.recorder.recorderName ? [{ name: loc.recorder.recorderName, roleARN: `arn:aws:iam::${loc.accountId}:role/config-recorder`, recordingGroup: { allSupported: true } }] : []),
        // A service-linked recorder, which is not the estate's recorder.
        { name: 'AWSConfigurationRecorderForSecurityHub', servicePrincipal: 'securityhub.amazonaws.com', recordingScope: 'INTERNAL' },
      ],
    }),
    DescribeConfigurationRecorderStatus: (_i, _r, loc) => ({
      ConfigurationRecordersStatus: loc?.recorder.recorderName
        ? [{ name: loc.recorder.recorderName, recording: loc.recorder.recording, lastStatus: title(loc.recorder.lastStatus), lastStatusChangeTime: epoch(loc.recorder.lastStatusChangeTime) }]
        : [],
    }),
    DescribeDeliveryChannels: (_i, _r, loc) => ({ DeliveryChannels: loc?.recorder.deliveryChannelName ? [{ name: loc.recorder.deliveryChannelName, s3BucketName: 'config-archive' }] : [] }),
    DescribeDeliveryChannelStatus: (_i, _r, loc) => ({
      DeliveryChannelsStatus: loc?.recorder.deliveryChannelName
        ? [{ name: loc.recorder.deliveryChannelName, configHistoryDeliveryInfo: { lastStatus: title(loc.recorder.lastDeliveryStatus) }, configSnapshotDeliveryInfo: { lastStatus: 'Not_Applicable' } }]
        : [],
    }),
    DescribeConfigRules: (input, _r, loc) => {
      const p = page(loc?.rules ?? [], PAGE.rules, input.NextToken);
      return { ConfigRules: p.items.map(apiRule), NextToken: p.NextToken };
    },
    DescribeConformancePacks: (input, _r, loc) => {
      const names = [...new Set((loc?.rules ?? []).map((r) => r.conformancePack).filter((n): n is string => !!n))];
      const p = page(names, PAGE.packs, input.NextToken);
      return { ConformancePackDetails: p.items.map((n) => ({ ConformancePackName: n, ConformancePackArn: `arn:aws:config:${loc!.region}:${loc!.accountId}:conformance-pack/${n}`, ConformancePackId: n })), NextToken: p.NextToken };
    },
    DescribeConformancePackCompliance: (input, _r, loc) => {
      const rules = (loc?.rules ?? []).filter((r) => r.conformancePack === input.ConformancePackName);
      if (!rules.length) throw new ClientError('NoSuchConformancePackException', `Conformance pack ${String(input.ConformancePackName)} does not exist`);
      limit(input, 1000);
      const p = page(rules, PAGE.rules, input.NextToken);
      return {
        ConformancePackName: input.ConformancePackName,
        ConformancePackRuleComplianceList: p.items.map((r) => ({ ConfigRuleName: r.ruleName, ComplianceType: ruleCompliance(loc!.evaluations.filter((e) => e.ruleName === r.ruleName)), Controls: [] })),
        NextToken: p.NextToken,
      };
    },
    GetComplianceDetailsByConfigRule: (input, _r, loc) => {
      const rule = rulesOf(loc, input.ConfigRuleName);
      limit(input, 100);
      const types = (input.ComplianceTypes as string[] | undefined) ?? ['COMPLIANT', 'NON_COMPLIANT'];
      if (types.length > 3 || types.includes('INSUFFICIENT_DATA')) throw new ClientError('InvalidParameterValueException', 'INSUFFICIENT_DATA cannot be used for filtering results');
      const results = loc!.evaluations.filter((e) => e.ruleName === rule.ruleName && types.includes(e.complianceType));
      const p = page(results, Math.min(PAGE.evaluations, Number(input.Limit ?? 10)), input.NextToken);
      return { EvaluationResults: p.items.map(evaluationResult), NextToken: p.NextToken };
    },
    SelectResourceConfig: (input, _r, loc) => {
      limit(input, 100);
      const p = page(loc?.resources ?? [], PAGE.resources, input.NextToken);
      return { Results: p.items.map(inventoryRow), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, NextToken: p.NextToken };
    },

    DescribeConfigurationAggregators: (input, req) => {
      const names = input.ConfigurationAggregatorNames as string[];
      if (!aggregator || !names.includes(aggregator.name) || req.accountId !== aggregator.accountId || req.scope.region !== aggregator.region) {
        throw new ClientError('NoSuchConfigurationAggregatorException', 'The configuration aggregator does not exist.');
      }
      return {
        ConfigurationAggregators: [
          { ConfigurationAggregatorName: aggregator.name, ConfigurationAggregatorArn: `arn:aws:config:${aggregator.region}:${aggregator.accountId}:config-aggregator/config-aggregator-abc`, AccountAggregationSources: [{ AccountIds: estate.accounts, AllAwsRegions: true }] },
        ],
      };
    },
    DescribeConfigurationAggregatorSourcesStatus: (input, req) => {
      const a = requireAggregator(input, req);
      const p = page(a.sources, PAGE.aggregate, input.NextToken);
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
      limit(input, 1000);
      const all = estate.locations.flatMap((l) =>
        l.rules.map((r) => ({ ConfigRuleName: r.ruleName, AccountId: l.accountId, AwsRegion: l.region, Compliance: { ComplianceType: ruleCompliance(l.evaluations.filter((e) => e.ruleName === r.ruleName)) } })),
      );
      const p = page(all, PAGE.aggregate, input.NextToken);
      return { AggregateComplianceByConfigRules: p.items, NextToken: p.NextToken };
    },
    DescribeAggregateComplianceByConformancePacks: (input, req) => {
      requireAggregator(input, req);
      limit(input, 100);
      const all = estate.locations.flatMap((l) =>
        [...new Set(l.rules.map((r) => r.conformancePack).filter((n): n is string => !!n))].map((name) => {
          const results = l.evaluations.filter((e) => l.rules.some((r) => r.ruleName === e.ruleName && r.conformancePack === name));
          return { ConformancePackName: name, AccountId: l.accountId, AwsRegion: l.region, Compliance: { ComplianceType: ruleCompliance(results) } };
        }),
      );
      const p = page(all, PAGE.aggregate, input.NextToken);
      return { AggregateComplianceByConformancePacks: p.items, NextToken: p.NextToken };
    },
    GetAggregateComplianceDetailsByConfigRule: (input, req) => {
      requireAggregator(input, req);
      limit(input, 100);
      const loc = at(String(input.AccountId), String(input.AwsRegion));
      const rule = rulesOf(loc, input.ConfigRuleName);
      const results = loc!.evaluations.filter((e) => e.ruleName === rule.ruleName && (!input.ComplianceType || e.complianceType === input.ComplianceType));
      const p = page(results, Math.min(PAGE.evaluations, Number(input.Limit ?? 50)), input.NextToken);
      return { AggregateEvaluationResults: p.items.map((e) => ({ ...evaluationResult(e), AccountId: e.accountId, AwsRegion: e.region })), NextToken: p.NextToken };
    },
    SelectAggregateResourceConfig: (input, req) => {
      requireAggregator(input, req);
      limit(input, 100);
      const regions = /awsRegion IN \(([^)]*)\)/.exec(String(input.Expression))?.[1].match(/'([^']+)'/g)?.map((r) => r.slice(1, -1));
      const all = estate.locations.flatMap((l) => l.resources).filter((r) => !regions || regions.includes(r.region));
      const p = page(all, PAGE.resources, input.NextToken);
      return { Results: p.items.map(inventoryRow), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, NextToken: p.NextToken };
    },
  };

  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  });

  return {
    operation: (req) => String(req.headers['x-amz-target'] ?? '').replace(/^StarlingDoveService\./, ''),
    error,
    handle: (req, operation) => {
      const op = operations[operation];
      if (!op || req.method !== 'POST' || req.url.pathname !== '/') return error(400, 'UnknownOperationException', `${operation} is not served by the fake`);
      try {
        const output = op(JSON.parse(req.body || '{}') as Json, req, at(req.accountId, req.scope.region));
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output) };
      } catch (e) {
        if (e instanceof ClientError) return error(400, e.code, e.message);
        throw e;
      }
    },
  };
}
