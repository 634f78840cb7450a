import type { ConfigRule, Evaluation } from '../../../src/evidence/records';
import { complianceOf, type LocationData, type Sequence } from './store';

const ALL_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];
const all = <T>(s: Sequence<T>) => s.slice(0, s.length);

/**
 * The ResourceCompliance items Config records for one location, as an advanced query returns
 * them (a JSON document in a string each): one per evaluated resource, with every rule's result
 * for it and, as capture time, the latest of those results' times. None where the recorder does
 * not record the type.
 */
export function complianceItems(loc: LocationData): Sequence<string> {
  return { length: loc.recordsCompliance ? loc.complianceItems : 0, slice: (start, end) => (loc.recordsCompliance ? rowsOf(loc).slice(start, end) : []) };
}

/**
 * Rows are built when a page asks for them and kept for the last few locations only: an
 * organisation's items are read location after location (or a few side by side), and holding
 * them all would make the fake as large as the estate.
 */
const KEPT = 16;
const recent = new Map<LocationData, string[]>();

function rowsOf(loc: LocationData): string[] {
  let rows = recent.get(loc);
  if (!rows) {
    rows = buildRows(loc);
    if (recent.size >= KEPT) recent.delete(recent.keys().next().value!);
    recent.set(loc, rows);
  }
  return rows;
}

function buildRows(loc: LocationData): string[] {
  const arns = new Map(all<ConfigRule>(loc.ruleRecords).map((r) => [r.ruleName, r.ruleArn]));
  const byResource = new Map<string, Evaluation[]>();
  for (const rule of loc.rules) {
    for (const e of all(rule.results(ALL_TYPES))) {
      const key = `${e.resourceType}\u0000${e.resourceId}`;
      byResource.set(key, [...(byResource.get(key) ?? []), e]);
    }
  }
  return [...byResource.values()].map((results) =>
    JSON.stringify({
      accountId: loc.accountId,
      awsRegion: loc.region,
      configurationItemCaptureTime: results.map((e) => e.resultRecordedTime).sort().at(-1),
      configuration: {
        targetResourceId: results[0].resourceId,
        targetResourceType: results[0].resourceType,
        complianceType: complianceOf(results.map((e) => e.complianceType)),
        configRuleList: results.map((e) => ({ configRuleName: e.ruleName, configRuleArn: arns.get(e.ruleName) ?? undefined, complianceType: e.complianceType })),
      },
    }),
  );
}
