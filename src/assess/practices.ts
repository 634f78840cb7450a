import type { ComplianceType } from '../evidence/records';
import type { Practice } from '../mapping/practices';
import { plural } from '../util/plural';

export const PRACTICE_STATUSES = ['not-followed', 'partly', 'not-evidenced', 'followed'] as const;
/** Ordered from most to least in need of attention. */
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

export interface PracticeResources {
  /** Distinct resources no rule of the practice found non-compliant, and at least one found compliant. */
  compliant: number;
  /** Distinct resources at least one rule of the practice found non-compliant. */
  nonCompliant: number;
}

/** One service security practice as the estate follows it (docs/assessment-result.md, "Practices"). */
export interface PracticeAssessment {
  service: string;
  serviceTitle: string;
  name: string;
  description: string;
  status: PracticeStatus;
  rationale: string;
  /** The practice's rules that the pack shows deployed, and those it does not (to deploy). */
  rulesDeployed: string[];
  rulesToDeploy: string[];
  /** For a practice no managed rule can show: what an attestation would have to show. */
  manualEvidence: string | null;
  /** The baseline's controls the practice's rules bear on (config-rules.yaml). */
  controls: string[];
  resources: PracticeResources;
  byAccount: ({ accountId: string } & PracticeResources)[];
}

/**
 * Tallies, per practice, the worst result each distinct resource had under any of the practice's
 * rules. Fed one distinct result at a time while the evaluations stream past, so it holds one
 * entry per (practice, resource) and nothing per evaluation.
 */
export class PracticeTally {
  private readonly practicesByRule = new Map<string, number[]>();
  /** Per practice: account -> resource key -> failing anywhere. */
  private readonly worst: Map<string, Map<string, boolean>>[];

  constructor(readonly practices: readonly Practice[]) {
    practices.forEach((p, i) => p.rules.forEach((r) => this.practicesByRule.set(r, [...(this.practicesByRule.get(r) ?? []), i])));
    this.worst = practices.map(() => new Map());
  }

  observe(identifier: string, accountId: string, resourceKey: string, complianceType: ComplianceType): void {
    if (complianceType !== 'COMPLIANT' && complianceType !== 'NON_COMPLIANT') return;
    for (const i of this.practicesByRule.get(identifier) ?? []) {
      let account = this.worst[i].get(accountId);
      if (!account) this.worst[i].set(accountId, (account = new Map()));
      account.set(resourceKey, account.get(resourceKey) === true || complianceType === 'NON_COMPLIANT');
    }
  }

  /** Per account, sorted by account id. */
  resourcesOf(practice: number): ({ accountId: string } & PracticeResources)[] {
    return [...this.worst[practice]]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([accountId, resources]) => {
        const nonCompliant = [...resources.values()].filter(Boolean).length;
        return { accountId, compliant: resources.size - nonCompliant, nonCompliant };
      });
  }
}

export interface PracticeContext {
  /** Resource types seen in the pack: a practice applies when its service has any of them. */
  resourceTypes: ReadonlySet<string>;
  /** Rule identifiers the pack shows deployed anywhere in scope. */
  deployed: ReadonlySet<string>;
  /** Rule identifier -> the baseline's controls it bears on. */
  ruleControls: Readonly<Record<string, readonly string[]>>;
}

const list = (ids: readonly string[]) => ids.join(', ');

function decide(p: Practice, deployed: string[], toDeploy: string[], resources: PracticeResources): Pick<PracticeAssessment, 'status' | 'rationale'> {
  if (!p.rules.length) return { status: 'not-evidenced', rationale: `No managed rule can show this practice; evidence it with an attestation: ${p.manualEvidence}` };
  if (!deployed.length) return { status: 'not-evidenced', rationale: `None of its rules is deployed: deploy ${list(toDeploy)}.` };
  const missing = toDeploy.length ? ` Not deployed: ${list(toDeploy)}.` : '';
  const { compliant, nonCompliant } = resources;
  if (!compliant && !nonCompliant) return { status: 'not-evidenced', rationale: `${list(deployed)} reported no compliant or non-compliant resource.${missing}` };
  if (nonCompliant && !compliant) return { status: 'not-followed', rationale: `All ${plural(nonCompliant, 'resource')} evaluated by ${list(deployed)} are non-compliant.${missing}` };
  if (nonCompliant) return { status: 'partly', rationale: `${plural(nonCompliant, 'resource')} non-compliant and ${compliant} compliant under ${list(deployed)}.${missing}` };
  return { status: 'followed', rationale: `${plural(compliant, 'resource')} compliant and none non-compliant under ${list(deployed)}.${missing}` };
}

/** The practices of the services in use, in the order of the practices file. */
export function assessPractices(tally: PracticeTally, context: PracticeContext): PracticeAssessment[] {
  const types = [...context.resourceTypes];
  return tally.practices.flatMap((p, i) => {
    if (!types.some((t) => t.startsWith(`${p.service}::`))) return [];
    const rulesDeployed = p.rules.filter((r) => context.deployed.has(r));
    const rulesToDeploy = p.rules.filter((r) => !context.deployed.has(r));
    const byAccount = tally.resourcesOf(i);
    const resources = byAccount.reduce((sum, a) => ({ compliant: sum.compliant + a.compliant, nonCompliant: sum.nonCompliant + a.nonCompliant }), { compliant: 0, nonCompliant: 0 });
    const controls = [...new Set(p.rules.flatMap((r) => context.ruleControls[r] ?? []))].sort();
    return [
      {
        service: p.service,
        serviceTitle: p.serviceTitle,
        name: p.name,
        description: p.description,
        ...decide(p, rulesDeployed, rulesToDeploy, resources),
        rulesDeployed,
        rulesToDeploy,
        manualEvidence: p.manualEvidence,
        controls,
        resources,
        byAccount,
      },
    ];
  });
}
