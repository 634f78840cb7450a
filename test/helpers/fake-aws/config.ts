import { parseAdvancedQuery } from './advanced-query';
import { aggregateOperations, type FakeAggregator } from './config-aggregate';
import { complianceItems } from './config-compliance';
import { apiRule, AWS_PAGES, checkLimit, ClientError, epoch, evaluationResult, page, packsAt, pageSize, ruleAt, selectAnswer, complianceAnswer, title, type Json, type PageSizes } from './config-wire';
import type { FakeRequest, FakeResponse, FakeService } from './server';
import type { FakeData, LocationData } from './store';

/**
 * AWS Config in its awsJson1_1 protocol: POST / with `X-Amz-Target: StarlingDoveService.<Op>`,
 * JSON in and out, timestamps as epoch seconds, NextToken paging, errors as `__type` with the
 * x-amzn-ErrorType header. Each request is served from its account and Region's own index.
 */

export type Operation = (input: Json, req: FakeRequest, loc: LocationData | undefined) => Json;

function accountOperations(pages: PageSizes): Record<string, Operation> {
  return {
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
      const p = page(loc?.ruleRecords ?? [], pages.rules, input.NextToken);
      return { ConfigRules: p.items.map(apiRule), NextToken: p.NextToken };
    },
    DescribeConformancePacks: (input, _r, loc) => {
      checkLimit(input, AWS_PAGES.packs);
      const p = page(loc ? packsAt(loc) : [], pageSize(input, pages.packs, AWS_PAGES.packs), input.NextToken);
      return { ConformancePackDetails: p.items.map(({ name }) => ({ ConformancePackName: name, ConformancePackArn: `arn:aws:config:${loc!.region}:${loc!.accountId}:conformance-pack/${name}`, ConformancePackId: name })), NextToken: p.NextToken };
    },
    DescribeConformancePackCompliance: (input, _r, loc) => {
      const rules = (loc?.rules ?? []).filter((r) => r.conformancePack === input.ConformancePackName);
      if (!rules.length) throw new ClientError('NoSuchConformancePackException', `Conformance pack ${String(input.ConformancePackName)} does not exist`);
      checkLimit(input, AWS_PAGES.packRules);
      const p = page(rules, pageSize(input, pages.packRules, AWS_PAGES.packRules), input.NextToken);
      return { ConformancePackName: input.ConformancePackName, ConformancePackRuleComplianceList: p.items.map((r) => ({ ConfigRuleName: r.name, ComplianceType: r.compliance, Controls: [] })), NextToken: p.NextToken };
    },
    GetComplianceDetailsByConfigRule: (input, _r, loc) => {
      const rule = ruleAt(loc, input.ConfigRuleName);
      checkLimit(input, AWS_PAGES.evaluations);
      const types = (input.ComplianceTypes as string[] | undefined) ?? ['COMPLIANT', 'NON_COMPLIANT'];
      if (types.length > 3 || types.includes('INSUFFICIENT_DATA')) throw new ClientError('InvalidParameterValueException', 'INSUFFICIENT_DATA cannot be used for filtering results');
      // The API's default page is 10 results.
      const p = page(rule.results(types), pageSize(input, pages.evaluations, 10), input.NextToken);
      return { EvaluationResults: p.items.map(evaluationResult), NextToken: p.NextToken };
    },
    SelectResourceConfig: (input, _r, loc) => {
      checkLimit(input, AWS_PAGES.resources);
      const query = parseAdvancedQuery(input.Expression);
      // A query without GROUP BY gets 25 rows a page unless it asks for more.
      const size = pageSize(input, pages.resources, 25);
      if (query.kind === 'compliance') return complianceAnswer(page(loc ? complianceItems(loc) : [], size, input.NextToken));
      return selectAnswer(page(loc?.resources ?? [], size, input.NextToken));
    },
  };
}

export function fakeConfig(data: FakeData, pages: PageSizes, aggregator?: FakeAggregator): FakeService {
  const operations = { ...accountOperations(pages), ...aggregateOperations(data, pages, aggregator) };
  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  });

  return {
    operation: (req) => String(req.headers['x-amz-target'] ?? '').replace(/^StarlingDoveService\./, ''),
    error,
    throttling: { status: 400, code: 'ThrottlingException' },
    handle: (req, operation) => {
      const op = operations[operation];
      if (!op || req.method !== 'POST' || req.url.pathname !== '/') return error(400, 'UnknownOperationException', `${operation} is not served by the fake`);
      try {
        const output = op(JSON.parse(req.body || '{}') as Json, req, data.at(req.accountId, req.scope.region));
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output) };
      } catch (e) {
        if (e instanceof ClientError) return error(400, e.code, e.message);
        throw e;
      }
    },
  };
}
