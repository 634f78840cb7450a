import { GLOBAL_RESOURCE_TYPES, resourceKey } from '../../assess/distinct';
import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { PROCESS_CHECK_IDENTIFIER } from '../../evidence/records';
import type { PackRows } from '../rows';

/** Resources named in an item's cell; the count gives the rest. */
export const RESOURCES_LISTED = 10;

/** The distinct resources a weakness affects: how many, and the first of them in sorted order. */
export interface AffectedResources {
  count: number;
  listed: string[];
  /** False when the pack was absent and only the resources the result names could be counted. */
  complete: boolean;
}

interface Located {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
}

/** A resource as the cell names it; a global resource has no Region (AWS Config records it once per account). */
const label = (r: Located): string => `${r.resourceId} (${r.resourceType}, ${r.accountId}${GLOBAL_RESOURCE_TYPES.has(r.resourceType) ? '' : `, ${r.region}`})`;

/** Distinct resources by key, each with its label. */
type Tally = Map<string, string>;

function add(tallies: Map<string, Tally>, controlId: string, r: Located): void {
  const tally = tallies.get(controlId);
  if (tally) tally.set(resourceKey(r), label(r));
}

/** A person recorded the account itself non-compliant in a process check. */
function failingAccounts(c: ControlAssessment): Located[] {
  return c.evidence.processChecks.filter((p) => p.complianceType === 'NON_COMPLIANT').map((p) => ({ accountId: p.accountId, region: p.region, resourceType: 'AWS::::Account', resourceId: p.accountId }));
}

/**
 * The distinct resources each control's weakness affects: the resources the deciding Config rules
 * found non-compliant, the accounts a process check was recorded non-compliant in, and for the
 * data residency controls the resources outside the allowed regions. With the pack they are
 * counted over every evaluation and resource it holds (streamed, each file checked against the
 * result); without it, from the first findings the result keeps, and marked incomplete.
 */
export async function affectedResources(result: AssessmentResult, controls: readonly ControlAssessment[], rows: PackRows): Promise<Map<string, AffectedResources>> {
  const tallies = new Map<string, Tally>(controls.map((c) => [c.id, new Map()]));
  const residency = result.dataResidency.controls.filter((id) => tallies.has(id));
  for (const c of controls) for (const a of failingAccounts(c)) add(tallies, c.id, a);
  if (rows.available) {
    for await (const { evaluation, ruleIdentifier, controlIds } of rows.evidence()) {
      // Process checks are judged by each account's latest result, taken from the result above.
      if (evaluation.complianceType !== 'NON_COMPLIANT' || ruleIdentifier === PROCESS_CHECK_IDENTIFIER) continue;
      for (const id of controlIds) add(tallies, id, evaluation);
    }
    if (residency.length) for await (const r of rows.outsideRegions()) for (const id of residency) add(tallies, id, r);
  } else {
    for (const c of controls) for (const f of c.evidence.findings) add(tallies, c.id, f);
    for (const r of result.dataResidency.resources) for (const id of residency) add(tallies, id, r);
  }
  const complete = (c: ControlAssessment) =>
    rows.available || (c.evidence.findings.length === c.evidence.findingsTotal && (!residency.includes(c.id) || result.dataResidency.resources.length === result.dataResidency.total));
  return new Map(
    controls.map((c) => {
      const tally = tallies.get(c.id)!;
      return [c.id, { count: tally.size, listed: [...tally.values()].sort().slice(0, RESOURCES_LISTED), complete: complete(c) }];
    }),
  );
}

/** The resources as one cell: the first ones, how many more, and whether the count is only a part. */
export function resourcesText(affected: AffectedResources): string | null {
  if (!affected.count) return null;
  const more = affected.count - affected.listed.length;
  const text = `${affected.listed.join('\n')}${more ? `\nand ${more} more` : ''}`;
  return affected.complete ? text : `${text}\n(counted from the assessment result's first findings: the evidence pack was not available)`;
}
