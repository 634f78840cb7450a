import type { ControlAssessment, RuleEvidence } from '../assess/result';

/**
 * How each control's rule evidence is traced in the tables (docs/csv-schema.md, controls.csv):
 * why each rule is evidence, with what parameters, and which pack records it cites. Deciding
 * rules come first, then supporting ones, which are marked so no reader takes them as deciding.
 */
const tracedRules = (c: ControlAssessment): RuleEvidence[] => [...c.evidence.rules, ...c.evidence.supportingRules];

const label = (r: RuleEvidence) => (r.mapping.role === 'supports' ? `${r.sourceIdentifier} (supporting)` : r.sourceIdentifier);

/** `IDENTIFIER: rationale`, one line per rule: rationales hold semicolons, so the list separator would be ambiguous. */
export function mappingRationaleCell(c: ControlAssessment): string | null {
  const rules = tracedRules(c);
  return rules.length ? rules.map((r) => `${label(r)}: ${r.mapping.rationale}`).join('\n') : null;
}

/** Compact JSON: each rule identifier's input parameter sets, most deployed first (`{}` is a deployment without parameters). */
export function ruleParametersCell(c: ControlAssessment): string | null {
  const rules = tracedRules(c);
  return rules.length ? JSON.stringify(Object.fromEntries(rules.map((r) => [r.sourceIdentifier, r.parameterSets.map((p) => p.parameters)]))) : null;
}

/** `file:line` of each evaluation the deciding rules cite (failing ones first), `;`-separated. */
export function evidenceRefsCell(c: ControlAssessment): string | null {
  const refs = c.evidence.rules.flatMap((r) => [...r.cited.failing, ...r.cited.compliant].map((e) => `${e.file}:${e.line}`));
  return refs.length ? refs.join(';') : null;
}

/** A parameter value in the PDF and HTML: enough to judge it against the ISM; the result and rule_parameters keep it whole. */
const PARAMETER_VALUE_CHARS = 80;

const parameterList = (parameters: Record<string, string>): string =>
  Object.keys(parameters)
    .sort()
    // Values hold commas and semicolons (lists of actions, say), so a name is followed by a colon and each pair set apart by a dot.
    .map((k) => `${k}: ${parameters[k].length > PARAMETER_VALUE_CHARS ? `${parameters[k].slice(0, PARAMETER_VALUE_CHARS - 1)}…` : parameters[k]}`)
    .join(' · ') || 'none';

/**
 * One line on a rule's input parameters for the PDF and HTML: the single set all deployments share,
 * or each set with its number of deployments when they differ; null when no deployment has any.
 */
export function parametersText(r: RuleEvidence): string | null {
  const sets = r.parameterSets;
  if (!sets.length || (sets.length === 1 && !Object.keys(sets[0].parameters).length)) return null;
  if (sets.length === 1) return `Parameters: ${parameterList(sets[0].parameters)}.`;
  const listed = sets.map((p) => `[${parameterList(p.parameters)}] in ${p.deployments} ${p.deployments === 1 ? 'deployment' : 'deployments'}`).join(', ');
  const unlisted = r.parameterSetsTotal - sets.length;
  return `Parameters differ across deployments: ${listed}${unlisted > 0 ? `, and ${unlisted} more sets` : ''}.`;
}
