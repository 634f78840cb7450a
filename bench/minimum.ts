import { AWS_PAGES } from '../test/helpers/fake-aws/config-wire';
import type { EstateStats, LocationStats } from './estate';

/** Requests per `service:Operation`. */
export type CallCounts = Record<string, number>;

/** Pages of a listing: a listing with nothing in it still takes one call to learn that. */
const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

function tally(): { counts: CallCounts; add: (op: string, n: number) => void } {
  const counts: CallCounts = {};
  return { counts, add: (op, n) => (counts[op] = (counts[op] ?? 0) + n) };
}

export const totalCalls = (counts: CallCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Reading AWS Artifact: its listings, and the metadata of the one report the fake lists without its category. */
function artifactCalls(stats: EstateStats, add: (op: string, n: number) => void): void {
  add('artifact:ListReports', pages(stats.reports, AWS_PAGES.artifact));
  add('artifact:GetReportMetadata', stats.reports ? 1 : 0);
  add('artifact:ListCustomerAgreements', pages(stats.agreements, AWS_PAGES.artifact));
}

const empty = (accountId: string, region: string): LocationStats => ({ accountId, region, rules: [], packs: [], resources: 0, evaluatedResources: 0 });

/**
 * In bulk, the per-rule pages of a location's process checks that have COMPLIANT or
 * NON_COMPLIANT results: their annotations are not in ResourceCompliance items (config-bulk.ts).
 */
const annotationPages = (loc: LocationStats) => loc.rules.filter((r) => r.processCheck && r.judged > 0).reduce((n, r) => n + pages(r.judged, AWS_PAGES.evaluations), 0);

/** How collect reads evaluations (`--collect-mode`): the bench measures per-rule and bulk. */
export type EvaluationPath = 'per-rule' | 'bulk';

/**
 * The fewest requests that read everything from each account and Region: the four recorder and
 * delivery-channel descriptions, every page of rules, conformance packs and their rules, every
 * page of each rule's results (of the types asked for, one call for a rule without any), and
 * every page of the inventory; one role assumed per account besides the caller's, the caller's
 * identity, and Artifact. Every page at the API's largest size.
 */
export function accountsMinimum(stats: EstateStats, regions: string[], path: EvaluationPath): CallCounts {
  const { counts, add } = tally();
  const byKey = new Map(stats.locations.map((l) => [`${l.accountId}/${l.region}`, l]));
  add('sts:GetCallerIdentity', 1);
  add('sts:AssumeRole', stats.accounts.length - 1);
  for (const accountId of stats.accounts) {
    for (const region of regions) {
      const loc = byKey.get(`${accountId}/${region}`) ?? empty(accountId, region);
      for (const op of ['DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus', 'DescribeDeliveryChannels', 'DescribeDeliveryChannelStatus']) add(`config:${op}`, 1);
      add('config:DescribeConfigRules', pages(loc.rules.length, AWS_PAGES.rules));
      add('config:DescribeConformancePacks', pages(loc.packs.length, AWS_PAGES.packs));
      for (const rules of loc.packs) add('config:DescribeConformancePackCompliance', pages(rules, AWS_PAGES.packRules));
      if (path === 'per-rule') for (const rule of loc.rules) add('config:GetComplianceDetailsByConfigRule', pages(rule.asked, AWS_PAGES.evaluations));
      // In bulk, a location with rules reads its ResourceCompliance items, one page per 100 resources.
      else if (loc.rules.length) {
        add('config:SelectResourceConfig', pages(loc.evaluatedResources, AWS_PAGES.resources));
        add('config:GetComplianceDetailsByConfigRule', annotationPages(loc));
      }
      add('config:SelectResourceConfig', pages(loc.resources, AWS_PAGES.resources));
    }
  }
  artifactCalls(stats, add);
  return counts;
}

/**
 * The fewest requests that read everything through an aggregator whose sources are every
 * location of the estate: the aggregator itself, every page of its sources, of its rule and
 * conformance pack listings (rules with results only, as Config lists them), every page of each
 * listed rule's results in the Regions collected (in bulk, of the ResourceCompliance items
 * there), and every page of the inventory there.
 */
export function aggregatorMinimum(stats: EstateStats, regions: string[], path: EvaluationPath): CallCounts {
  const { counts, add } = tally();
  const listed = (l: LocationStats) => l.rules.filter((r) => r.results > 0);
  const collected = stats.locations.filter((l) => regions.includes(l.region));
  add('sts:GetCallerIdentity', 1);
  add('config:DescribeConfigurationAggregators', 1);
  add('config:DescribeConfigurationAggregatorSourcesStatus', pages(stats.locations.length, AWS_PAGES.sources));
  add('config:DescribeAggregateComplianceByConfigRules', pages(stats.locations.reduce((n, l) => n + listed(l).length, 0), AWS_PAGES.ruleCompliance));
  add('config:DescribeAggregateComplianceByConformancePacks', pages(stats.locations.reduce((n, l) => n + l.packs.length, 0), AWS_PAGES.packCompliance));
  if (path === 'per-rule') for (const loc of collected) for (const rule of listed(loc)) add('config:GetAggregateComplianceDetailsByConfigRule', pages(rule.results, AWS_PAGES.evaluations));
  // In bulk, every location's ResourceCompliance items in one listing, 100 a page.
  else {
    add('config:SelectAggregateResourceConfig', pages(collected.reduce((n, l) => n + l.evaluatedResources, 0), AWS_PAGES.resources));
    add('config:GetAggregateComplianceDetailsByConfigRule', collected.reduce((n, l) => n + annotationPages(l), 0));
  }
  add('config:SelectAggregateResourceConfig', pages(collected.reduce((n, l) => n + l.resources, 0), AWS_PAGES.resources));
  artifactCalls(stats, add);
  return counts;
}
