import type { Evaluation } from '../evidence/records';
import { LimitExceededError, MAX_EVALUATIONS_PER_RULE } from './bounds';
import { toEvaluation, type EvaluationAnswer, type Location } from './config-records';
import type { Where } from './gaps';
import { pages, type Page } from './paging';
import type { CollectionRun } from './run';

/**
 * One result per resource: Config can hand the same resource out twice when its result
 * changes while the pages are read, and the later result is the one that stands. They are
 * held until the rule's last page, so at most MAX_EVALUATIONS_PER_RULE of them.
 */
class LatestEvaluations {
  private readonly byResource = new Map<string, Evaluation>();

  add(e: Evaluation): void {
    const key = `${e.resourceType}\u0000${e.resourceId}`;
    const seen = this.byResource.get(key);
    if (!seen && this.byResource.size === MAX_EVALUATIONS_PER_RULE) {
      throw new LimitExceededError(`more than ${MAX_EVALUATIONS_PER_RULE} evaluation results, more than collect holds for one rule; none of them is in the pack`);
    }
    if (!seen || seen.resultRecordedTime < e.resultRecordedTime) this.byResource.set(key, e);
  }

  get records(): Evaluation[] {
    return [...this.byResource.values()];
  }
}

/**
 * Every evaluation result of one rule in one account and Region, every page of `query`. They
 * are written only once all pages are in, so a rule is either complete in the pack or named in
 * a gap. Returns how many were written.
 */
export async function collectRuleEvaluations(
  run: CollectionRun,
  where: Where,
  loc: Location,
  ruleName: string,
  query: (nextToken: string | undefined) => Promise<Page<EvaluationAnswer>>,
): Promise<number> {
  const results = await run.step(
    where,
    async () => {
      const latest = new LatestEvaluations();
      for await (const page of pages(query)) for (const result of page) latest.add(toEvaluation(loc, ruleName, result));
      return latest.records;
    },
    `rule ${ruleName}`,
  );
  if (!results.ok) return 0;
  for (const e of results.value) await run.write('evaluations', e);
  return results.value.length;
}
