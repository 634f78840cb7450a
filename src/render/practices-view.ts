import type { PracticeAssessment, PracticeStatus } from '../assess/practices';
import type { AssessmentResult, Status } from '../assess/result';
import { wrapsAtUnderscores } from './display-text';

/** How each practice status reads, and the assessment status whose colour it borrows (same meaning of urgency). */
export const PRACTICE_STATUS_VIEWS: Record<PracticeStatus, { label: string; colourOf: Status }> = {
  'not-followed': { label: 'Not followed', colourOf: 'non-compliant' },
  partly: { label: 'Partly followed', colourOf: 'insufficient-evidence' },
  'not-evidenced': { label: 'Not evidenced', colourOf: 'not-assessed' },
  followed: { label: 'Followed', colourOf: 'compliant' },
};

/** Practices that need a decision: not followed in whole or part, or without evidence either way. */
export const practicesNeedingAction = (practices: readonly PracticeAssessment[]): PracticeAssessment[] => practices.filter((p) => p.status !== 'followed');

const statusView = (s: PracticeStatus) => ({ label: PRACTICE_STATUS_VIEWS[s].label, cls: `st-${PRACTICE_STATUS_VIEWS[s].colourOf}` });

/**
 * What the evidence says, once: the distinct resources and the accounts failing when the practice's
 * rules ran, else why there is no evidence (the rationale, which names the rules to deploy).
 */
function findingText(p: PracticeAssessment): string {
  if (p.status === 'not-evidenced') return p.rationale;
  const failing = p.byAccount.filter((a) => a.nonCompliant).map((a) => `${a.accountId} (${a.nonCompliant})`);
  const counts = `${p.resources.compliant} compliant and ${p.resources.nonCompliant} non-compliant resources`;
  return failing.length ? `${counts}; failing in ${failing.join(', ')}.` : `${counts}.`;
}

/** One table per service in use, in the order of the practices file. */
export function practicesView(result: AssessmentResult) {
  const services = new Map<string, PracticeAssessment[]>();
  for (const p of result.practices) services.set(p.serviceTitle, [...(services.get(p.serviceTitle) ?? []), p]);
  const needing = practicesNeedingAction(result.practices).length;
  return {
    intro:
      result.practices.length === 0
        ? 'None of the services these practices cover (Amazon S3, Amazon RDS, Amazon EC2) is in use in the evidence pack.'
        : `${needing} of ${result.practices.length} practices of the services in use are not followed in whole or part, or have no evidence either way.`,
    services: [...services].map(([title, practices]) => ({
      title,
      practices: practices.map((p) => ({
        name: p.name,
        description: p.description,
        status: statusView(p.status),
        finding: wrapsAtUnderscores(findingText(p)),
        deployed: p.rulesDeployed.map(wrapsAtUnderscores),
        // With nothing deployed, the finding already names every rule to deploy.
        toDeploy: (p.rulesDeployed.length ? p.rulesToDeploy : []).map(wrapsAtUnderscores),
        controls: p.controls.join(', '),
      })),
    })),
  };
}
