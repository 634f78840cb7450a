import type { AssessmentResult, ControlAssessment, ExceptionRef, ManualException } from '../../assess/result';
import type { Owner } from '../../assess/owners';
import { addDays } from '../../util/dates';
import { severityOf, type PoamMilestones, type Severity, type WeaknessKind } from './severity';

/** The values of the Status column: auditpack writes the first two; the others are for the people working the plan. */
export const POAM_STATUSES = ['Open', 'Risk accepted', 'In progress', 'Completed'] as const;
export type PoamStatus = (typeof POAM_STATUSES)[number];

/** One weakness of the plan: a control, the kind of weakness, and what the plan says of it. */
export interface PoamItem {
  /** `POAM-<control id>-<kind>`: the same in every quarter the weakness persists (docs/poam.md, "Item ids"). */
  id: string;
  control: ControlAssessment;
  kind: WeaknessKind;
  description: string;
  severity: Severity;
  status: PoamStatus;
  /** The planned completion: the acceptance's expiry for an accepted risk, else the as-of date plus the severity's days. */
  due: string;
  /** The current risk acceptance that covers the weakness, if any. */
  acceptance: ExceptionRef | null;
}

export const poamItemId = (controlId: string, kind: WeaknessKind): string => `POAM-${controlId}-${kind}`;

/** Evidence shows the control failing: a mapped rule, a person's process check result, or a resource outside the allowed regions. */
const failing = (c: ControlAssessment): boolean =>
  c.evidence.findingsTotal > 0 || c.evidence.residencyFindings > 0 || c.evidence.processChecks.some((p) => p.complianceType === 'NON_COMPLIANT');

/**
 * The weakness a control shows, or null. A risk acceptance does not change the weakness it covers
 * (only the item's status), so an item keeps its id when its risk is accepted or the acceptance
 * lapses; the covered weakness is read from the annex implementation value, which keeps it.
 */
export function weaknessOf(c: ControlAssessment): WeaknessKind | null {
  switch (c.status) {
    case 'non-compliant':
      return 'noncompliant';
    case 'attestation-expired':
      return 'attestation-expired';
    case 'insufficient-evidence':
    case 'inherited-evidence-missing':
      return 'no-visibility';
    case 'risk-accepted':
      if (c.implementation === 'Ineffective') return failing(c) ? 'noncompliant' : 'attestation-expired';
      return c.implementation === 'No visibility' ? 'no-visibility' : 'not-implemented';
    default:
      // Attested or compliant on the customer's part, but no report in scope shows AWS's part.
      return c.implementation === 'No visibility' ? 'no-visibility' : null;
  }
}

/** Of the current acceptances, the one that covers the control longest (the OSCAL risk's deadline too). */
function coveringAcceptance(c: ControlAssessment): ExceptionRef | null {
  const current = c.evidence.exceptions.filter((e) => !e.expired).sort((a, b) => b.expiresOn.localeCompare(a.expiresOn) || a.id.localeCompare(b.id));
  return c.status === 'risk-accepted' ? (current[0] ?? null) : null;
}

/** What is wrong, in the evidence's words: the status's reason, what failed, AWS's part, the acceptance and why it was given. */
function describe(c: ControlAssessment, acceptance: ExceptionRef | null, exceptions: ReadonlyMap<string, ManualException>): string {
  const lines = [c.rationale];
  const annotations = [...new Set(c.evidence.findings.map((f) => f.annotation).filter((a): a is string => Boolean(a)))];
  if (annotations.length) lines.push(`Findings: ${annotations.slice(0, 3).join('; ')}${annotations.length > 3 ? `; and ${annotations.length - 3} more` : ''}.`);
  if (c.awsHalf && !c.awsHalf.evidenced) lines.push(`AWS's part: ${c.awsHalf.rationale}`);
  if (acceptance) {
    const why = exceptions.get(acceptance.id)?.rationale;
    if (why) lines.push(`Accepted (${acceptance.id}): ${why}`);
  }
  for (const e of c.evidence.exceptions.filter((x) => x.expired)) lines.push(`Risk acceptance ${e.id} expired on ${e.expiresOn}.`);
  return lines.join('\n');
}

/**
 * The plan's items: one per control of the result that shows a weakness, highest severity first,
 * then in catalog order.
 */
export function poamItems(result: AssessmentResult, milestones: PoamMilestones): PoamItem[] {
  const exceptions = new Map(result.manualEvidence.exceptions.map((e) => [e.id, e]));
  const items = result.controls.flatMap((control): PoamItem[] => {
    const kind = weaknessOf(control);
    if (!kind) return [];
    const severity = severityOf(kind, control.essentialEight);
    const acceptance = coveringAcceptance(control);
    return [
      {
        id: poamItemId(control.id, kind),
        control,
        kind,
        description: describe(control, acceptance, exceptions),
        severity,
        status: acceptance ? 'Risk accepted' : 'Open',
        due: acceptance ? acceptance.expiresOn : addDays(result.asOf, milestones[severity]),
        acceptance,
      },
    ];
  });
  const rank: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
  // Array.prototype.sort is stable: catalog order holds within a severity.
  return items.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** The owner as one cell: the name and role; a control no owner covers is Unassigned, so the gap shows. */
export const ownerText = (owner: Owner | null): string => (owner ? `${owner.name}${owner.role ? ` (${owner.role})` : ''}` : 'Unassigned');
