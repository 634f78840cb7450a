import { type AssessmentResult, type ControlAssessment, STATUSES } from '../../assess/result';
import { wrapsAtUnderscores } from '../display-text';
import { needsAttention, RESPONSIBILITY_LABELS } from '../statuses';
import { more, statusView, XLSX } from './format';
import { LIMITS } from './limits';
import { partRef } from './outline';

export function attentionView(result: AssessmentResult) {
  const rank = (c: ControlAssessment) => STATUSES.indexOf(c.status);
  // A stable sort, so equally urgent controls keep the catalog's order; more failing resources first.
  const needing = result.controls.filter((c) => needsAttention(c.status)).sort((a, b) => rank(a) - rank(b) || b.evidence.findingsTotal - a.evidence.findingsTotal);
  return {
    rows: needing.slice(0, LIMITS.attention).map((c) => ({
      id: c.id,
      status: statusView(c.status),
      responsibility: RESPONSIBILITY_LABELS[c.responsibility],
      where: c.section,
      // Who to chase about it: the reason a reader of this list looks for a name.
      owner: c.owner?.name ?? null,
      rationale: wrapsAtUnderscores(c.rationale),
    })),
    more: more(needing.length - LIMITS.attention, `${partRef('controls')}, or filter the status column of ${XLSX('Controls', 'controls.csv')}`),
  };
}
