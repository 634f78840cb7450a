/**
 * How collect reads evaluation results (`--collect-mode`, docs/collect.md):
 * - `per-rule`: every rule's results, page by page (GetComplianceDetailsByConfigRule or its
 *   aggregate twin): complete with annotations, one call per rule, account and Region at least;
 * - `bulk`: the ResourceCompliance items Config records (SelectResourceConfig or
 *   SelectAggregateResourceConfig), up to 100 resources with all their rules' results a page;
 *   a location that does not record them is a gap;
 * - `auto`: bulk, and per rule for each location that does not record them.
 */
export const COLLECT_MODES = ['auto', 'bulk', 'per-rule'] as const;
export type CollectMode = (typeof COLLECT_MODES)[number];
