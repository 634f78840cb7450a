import type { AssessmentResult } from '../../assess/result';
import type { ControlExport } from './assessment-results';
import { prop } from './common';
import { packResources } from './evidence';
import { controlName } from './findings';
import { exportMetadata, type ExportOptions } from './metadata';
import type { PlanOfActionAndMilestones } from './model';
import { exportUuid } from './uuid';

/**
 * The POA&M: one item per control that carries a risk (non-compliant, or a risk accepted), with
 * that risk and the control's observations. Null when no control carries one: OSCAL requires a
 * POA&M to hold at least one item, so an empty one cannot be written.
 */
export function planOfActionAndMilestones(result: AssessmentResult, options: ExportOptions, controls: ControlExport[]): PlanOfActionAndMilestones | null {
  const open = controls.flatMap(({ control, observations, risk }) => (risk ? [{ control, observations, risk }] : []));
  if (!open.length) return null;
  const observations = open.flatMap((c) => c.observations);
  return {
    'plan-of-action-and-milestones': {
      uuid: exportUuid(result.pack.packId, result.baseline, 'poam'),
      metadata: exportMetadata(result, options, 'Plan of action and milestones'),
      ...(observations.length ? { observations } : {}),
      risks: open.map((c) => c.risk),
      'poam-items': open.map(({ control, observations: own, risk }) => ({
        uuid: exportUuid(result.pack.packId, 'poam-item', control.id),
        title: `${controlName(control)}: ${risk.status === 'open' ? 'remediate' : 'accepted risk to resolve before its acceptance expires'}`,
        description: control.rationale,
        props: [prop('status', control.status), prop('control-id', control.id)],
        ...(own.length ? { 'related-observations': own.map((o) => ({ 'observation-uuid': o.uuid })) } : {}),
        'related-risks': [{ 'risk-uuid': risk.uuid }],
      })),
      'back-matter': { resources: packResources(result) },
    },
  };
}
