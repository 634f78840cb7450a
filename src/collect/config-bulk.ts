import type { Evaluation } from '../evidence/records';
import type { CollectMode } from './collect-mode';
import type { EvaluationAnswer, Location } from './config-records';
import type { Where } from './gaps';
import { checked, isoTimestamp } from './malformed';
import { pages, type Page } from './paging';
import { RESOURCE_COMPLIANCE_TYPE, toResourceCompliance } from './resource-compliance';
import type { CollectionRun } from './run';

/**
 * The bulk path: evaluations from Config's ResourceCompliance items (resource-compliance.ts),
 * written as the same records the per-rule path writes, for the same rules.
 */

export const locationKey = (loc: Location) => `${loc.accountId}/${loc.region}`;

export interface BulkScope {
  /** The result types the per-rule path reads here (it asks an account for three, an aggregator for all). */
  resultTypes: ReadonlySet<string>;
  /** The rules collected at a location, as the per-rule path would read them; entries of other rules are dropped. */
  rulesAt(loc: Location): ReadonlySet<string> | undefined;
  /**
   * Rules whose annotations are read per rule, their results waiting for them: the process checks
   * (ResourceCompliance items carry no annotation). A process check is a person's statement about
   * the account, and its annotation is the evidence. A managed rule's annotation restates the rule,
   * so reading it would bring back the call per rule, account and Region the bulk path avoids.
   */
  annotationMatters(loc: Location, ruleName: string): boolean;
}

/** The evaluations of one rule at one location that wait for their annotations. */
interface Held {
  loc: Location;
  ruleName: string;
  evaluations: Evaluation[];
}

export interface BulkRead {
  /** Whether every page was read; if not, a gap says so and what was written stays. */
  complete: boolean;
  /** ResourceCompliance items seen per location (`account/Region`), whatever their rules. */
  itemsAt: Map<string, number>;
  /** Evaluations read, those held for their annotations included. */
  evaluations: number;
  held: Held[];
}

/**
 * Reads every page of a ResourceCompliance query and writes one evaluation per (resource, rule)
 * entry of a collected rule, as the pages arrive (an organisation's results are too many to
 * hold). An item read twice (Config updated it between pages) keeps its first reading.
 */
export async function readBulkCompliance(run: CollectionRun, where: Where, query: (nextToken: string | undefined) => Promise<Page<string>>, scope: BulkScope): Promise<BulkRead> {
  const read: BulkRead = { complete: false, itemsAt: new Map(), evaluations: 0, held: [] };
  const held = new Map<string, Held>();
  const seen = new Set<string>();
  const step = await run.step(
    where,
    async () => {
      for await (const rows of pages(query)) {
        for (const text of rows) {
          const row = toResourceCompliance(text);
          const loc = { accountId: row.accountId, region: row.region };
          const key = `${locationKey(loc)}\u0000${row.resourceType}\u0000${row.resourceId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          read.itemsAt.set(locationKey(loc), (read.itemsAt.get(locationKey(loc)) ?? 0) + 1);
          const rules = scope.rulesAt(loc);
          for (const entry of row.rules) {
            if (!rules?.has(entry.ruleName) || !scope.resultTypes.has(entry.complianceType)) continue;
            const evaluation = checked(
              'evaluations',
              {
                ...loc,
                ruleName: entry.ruleName,
                resourceType: row.resourceType,
                resourceId: row.resourceId,
                complianceType: entry.complianceType,
                annotation: null,
                resultRecordedTime: isoTimestamp(row.capturedAt),
                configRuleInvokedTime: isoTimestamp(row.capturedAt),
              },
              `ResourceCompliance of ${row.resourceType} ${row.resourceId}`,
            );
            read.evaluations++;
            if (!scope.annotationMatters(loc, entry.ruleName)) {
              await run.write('evaluations', evaluation);
              continue;
            }
            const ruleKey = `${locationKey(loc)}/${entry.ruleName}`;
            let group = held.get(ruleKey);
            if (!group) held.set(ruleKey, (group = { loc, ruleName: entry.ruleName, evaluations: [] }));
            group.evaluations.push(evaluation);
          }
        }
      }
    },
    RESOURCE_COMPLIANCE_TYPE,
  );
  return { ...read, complete: step.ok, held: [...held.values()] };
}

/**
 * Writes the held evaluations (process checks), each with the annotation the per-rule API gives:
 * a process check's annotation is a person's statement of what was checked or found missing, and
 * a COMPLIANT result without it attests nothing. A rule whose annotations could not be read
 * leaves a gap, and its evaluations are written without them.
 */
export async function writeHeld(
  run: CollectionRun,
  held: readonly Held[],
  where: (loc: Location) => Where,
  judged: (loc: Location, ruleName: string) => (nextToken: string | undefined) => Promise<Page<EvaluationAnswer>>,
): Promise<void> {
  for (const group of held) {
    const annotations = new Map<string, string>();
    if (group.evaluations.some((e) => e.complianceType === 'COMPLIANT' || e.complianceType === 'NON_COMPLIANT')) {
      await run.step(
        where(group.loc),
        async () => {
          for await (const results of pages(judged(group.loc, group.ruleName))) {
            for (const r of results) {
              const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
              if (r.Annotation && q?.ResourceType && q.ResourceId) annotations.set(`${q.ResourceType}\u0000${q.ResourceId}`, r.Annotation);
            }
          }
        },
        `annotations of rule ${group.ruleName}`,
      );
    }
    for (const e of group.evaluations) {
      const annotation = annotations.get(`${e.resourceType}\u0000${e.resourceId}`) ?? null;
      await run.write('evaluations', { ...e, annotation });
    }
  }
}

/**
 * A location whose rules report results but which has no ResourceCompliance item does not
 * record that type. `auto` reads it per rule (true is returned); `bulk` leaves a gap.
 */
export function perRuleInstead(run: CollectionRun, mode: CollectMode, where: Where, loc: Location): boolean {
  if (mode === 'auto') return true;
  run.recordGap({
    ...where,
    accountId: loc.accountId,
    region: loc.region,
    errorCode: 'ResourceComplianceNotRecorded',
    message: `${loc.accountId} ${loc.region} does not record ${RESOURCE_COMPLIANCE_TYPE}, so --collect-mode bulk read none of its evaluations (auto or per-rule read them rule by rule)`,
  });
  return false;
}
