import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { dayEnd, prop } from './common';
import type { Finding, Observation, Property, Risk } from './model';
import { OBJECTIVE_STATUS, RISK_STATUS } from './statuses';
import { exportUuid } from './uuid';

/** How a control is named in titles: its id, and for a principle its label and title. */
export const controlName = (c: ControlAssessment) => (c.label ? `${c.id} (${[c.label, c.title].filter(Boolean).join(' ')})` : c.id);

const related = (observations: Observation[]) => (observations.length ? { 'related-observations': observations.map((o) => ({ 'observation-uuid': o.uuid })) } : {});

/**
 * The auditpack props of a finding's target: what OSCAL's two states cannot say, among them
 * the SSP annex implementation status and responsibility, in the annex's own words.
 */
function targetProps(control: ControlAssessment): Property[] {
  return [
    prop('status', control.status),
    prop('responsibility', control.responsibility),
    prop('implementation', control.implementation),
    prop('annex-responsibility', control.annexResponsibility),
    // A shared control's status is the customer's half: whether AWS's half is evidenced is a separate fact.
    ...(control.awsHalf ? [prop('aws-half', control.awsHalf.evidenced ? 'evidenced' : 'not-evidenced')] : []),
  ];
}

export const riskUuid = (result: AssessmentResult, control: ControlAssessment) => exportUuid(result.pack.packId, 'risk', control.id);

/** The finding for one control of the baseline: its objective status, why, and what shows it. */
export function controlFinding(result: AssessmentResult, control: ControlAssessment, observations: Observation[]): Finding {
  return {
    uuid: exportUuid(result.pack.packId, 'finding', control.id),
    title: `Finding for ${controlName(control)}`,
    description: control.rationale,
    target: { type: 'objective-id', 'target-id': control.id, props: targetProps(control), status: OBJECTIVE_STATUS[control.status] },
    ...related(observations),
    ...(RISK_STATUS[control.status] ? { 'related-risks': [{ 'risk-uuid': riskUuid(result, control) }] } : {}),
  };
}

/** What is wrong, in the result's words: the failing resources shown, or the accepted risks. */
function riskStatement(control: ControlAssessment): string {
  const { findings, findingsTotal, residencyFindings, exceptions } = control.evidence;
  const lines = [control.rationale];
  for (const f of findings) lines.push(`${f.sourceIdentifier} found ${f.resourceType} ${f.resourceId} non-compliant in ${f.accountId} ${f.region}${f.annotation ? `: ${f.annotation}` : ''}.`);
  if (findingsTotal > findings.length) lines.push(`${findingsTotal - findings.length} more non-compliant results are in the evidence pack.`);
  if (residencyFindings) lines.push(`${residencyFindings} resources lie outside the allowed regions.`);
  for (const e of exceptions) lines.push(`Risk acceptance ${e.id}: owner ${e.owner}, approved by ${e.approvedBy}, ${e.expired ? 'expired' : 'expires'} ${e.expiresOn}.`);
  return lines.join('\n');
}

/** The risk of a control whose status carries one (RISK_STATUS), else null. */
export function controlRisk(result: AssessmentResult, control: ControlAssessment, observations: Observation[]): Risk | null {
  const status = RISK_STATUS[control.status];
  if (!status) return null;
  // An accepted risk must be resolved by the day its acceptance runs out: the latest unexpired one.
  const accepted = control.evidence.exceptions.filter((e) => !e.expired).map((e) => e.expiresOn).sort();
  return {
    uuid: riskUuid(result, control),
    title: `${controlName(control)} is ${control.status}`,
    description: `ISM ${result.baseline} ${control.kind} ${control.id} (${control.topic}) is ${control.status} in evidence pack ${result.pack.packId}.`,
    statement: riskStatement(control),
    props: [prop('status', control.status), prop('control-id', control.id)],
    status,
    ...(status === 'deviation-approved' && accepted.length ? { deadline: dayEnd(accepted[accepted.length - 1]) } : {}),
    ...related(observations),
  };
}
