import { STATUSES, type AssessmentResult, type ControlAssessment, type Status } from '../../assess/result';
import { builtinBaselines } from '../../mapping/catalog';
import { controlsAt, MATURITY_LEVELS, type EssentialEightMapping, type MaturityLevel } from '../../mapping/ciso-essential-eight';
import { ismIdentifier } from '../ism-identifier';
import { STATUS_LABELS } from '../statuses';
import { controlObservation, type AuditRow } from './audit';
import { CISO_ASSISTANT_STATUS, type RequirementResult } from './statuses';

/**
 * The maturity level an Essential Eight baseline selects (E8_ML2 is essential-eight-applicability
 * ML2), or null for any other baseline. An official catalog file is cut by the built-in index's
 * baseline definitions, so those say which baseline is which for every release.
 */
export function essentialEightLevel(result: AssessmentResult): MaturityLevel | null {
  const definition = builtinBaselines().find((b) => b.name === result.baseline);
  if (definition?.prop !== 'essentialEight') return null;
  return MATURITY_LEVELS.find((l) => l === definition.value) ?? null;
}

/** CISO Assistant's results from the worst for a requirement to the best. */
const RESULT_ORDER: readonly RequirementResult[] = ['non_compliant', 'partially_compliant', 'not_assessed', 'compliant', 'not_applicable'];

/**
 * A requirement stated by several ISM controls is only as good as the worst of them, judged by
 * the result CISO Assistant will show: a known failure (non-compliant, or a risk accepted
 * because it is not met) outranks a control nobody assessed, which outranks one evidenced as met.
 * Among statuses with the same result, auditpack's order (most in need of attention first)
 * decides. So a requirement is `compliant` only when every control stating it is evidenced as met.
 */
export function worstStatus(statuses: readonly Status[]): Status {
  const rank = (s: Status) => RESULT_ORDER.indexOf(CISO_ASSISTANT_STATUS[s].result) * STATUSES.length + STATUSES.indexOf(s);
  return statuses.reduce<Status | null>((worst, s) => (worst === null || rank(s) < rank(worst) ? s : worst), null) ?? 'not-assessed';
}

function observation(controls: readonly ControlAssessment[], status: Status, result: AssessmentResult): string {
  const each = controls.map((c) => `${ismIdentifier(c)}: ${controlObservation(c, result)}`);
  if (controls.length === 1) return each[0];
  return `auditpack status: ${STATUS_LABELS[status]}, the worst of the ${controls.length} ISM controls that state this requirement. ${each.join(' | ')}`;
}

/**
 * The rows of the import for CISO Assistant's own essential-eight framework: one per requirement
 * node the mapping matches, at the baseline's maturity level, to ISM controls that the result
 * holds; none for a baseline that is not an Essential Eight one. `ref_id` is left empty because
 * its requirements have none, so the importer finds each by URN.
 */
export function essentialEightRows(result: AssessmentResult, mapping: EssentialEightMapping): AuditRow[] {
  const level = essentialEightLevel(result);
  if (!level) return [];
  const byId = new Map(result.controls.map((c) => [c.id, c]));
  return mapping.nodes.flatMap((node) => {
    const controls = controlsAt(node, level).flatMap((id) => byId.get(id) ?? []);
    if (!controls.length) return [];
    const status = worstStatus(controls.map((c) => c.status));
    const statements = controls.flatMap((c) => (c.statement === null ? [] : [`${ismIdentifier(c)}: ${c.statement}`]));
    return [{
      urn: node.urn,
      refId: null,
      name: controls.map(ismIdentifier).join(', '),
      description: statements.length ? statements.join('\n') : null,
      status,
      observation: observation(controls, status, result),
    }];
  });
}
