import type { ConformancePack, Evaluation } from '../evidence/records';
import type { SampleAccount } from './estate';
import { judge, type Subject } from './outcomes';
import type { Random } from './random';
import type { SampleResource } from './resources';
import type { DeployedRule } from './rules';
import { COLLECTION_START, HOUR, iso } from './timeline';

const ACCOUNT_RESOURCE_TYPE = 'AWS::::Account';

/** What each conformance pack's evaluations in one account and Region came to. */
export class PackTally {
  private readonly seen = new Map<string, { nonCompliant: boolean; judged: boolean }>();

  constructor(packs: readonly string[]) {
    for (const pack of packs) this.seen.set(pack, { nonCompliant: false, judged: false });
  }

  count(pack: string, evaluation: Evaluation): void {
    const s = this.seen.get(pack)!;
    if (evaluation.complianceType === 'NON_COMPLIANT') s.nonCompliant = true;
    else if (evaluation.complianceType !== 'INSUFFICIENT_DATA') s.judged = true;
  }

  /** As Config rolls up a pack: any failing rule fails it; nothing judged leaves it undecided. */
  records(accountId: string, region: string): ConformancePack[] {
    return [...this.seen].map(([name, s]) => ({
      accountId,
      region,
      name,
      complianceType: s.nonCompliant ? 'NON_COMPLIANT' : s.judged ? 'COMPLIANT' : 'INSUFFICIENT_DATA',
    }));
  }
}

export interface RegionScope {
  account: SampleAccount;
  region: string;
  rules: readonly DeployedRule[];
  resources: readonly SampleResource[];
  /** Seeds the account-level outcomes in this Region. */
  accountKey: number;
}

/**
 * The Config results of every deployed rule in one account and Region, rule by rule as
 * GetComplianceDetailsByConfigRule returns them. A rule with no resource of its types in scope
 * has no results at all, as in Config.
 */
export function* evaluations(scope: RegionScope, tally: PackTally, rng: Random): Generator<Evaluation> {
  const { account, region } = scope;
  const byType = new Map<string, SampleResource[]>();
  for (const r of scope.resources) {
    const list = byType.get(r.resourceType);
    if (list) list.push(r);
    else byType.set(r.resourceType, [r]);
  }
  const accountSubject: Subject = { key: scope.accountKey, trait: null, isAccount: true };
  // Periodic rules all ran in the same nightly window, a few seconds apart.
  const periodicRun = COLLECTION_START - rng.between(4 * HOUR, 20 * HOUR);

  /** One result, timed as Config records it: some time after the rule was invoked. */
  const result = (rule: RegionScope['rules'][number], type: string, resourceId: string, subject: Subject, invoked: number, recordedWithin: [number, number]): Evaluation => {
    const verdict = judge(rule.identifier, rule.identifierKey, subject, account.role, region);
    const e: Evaluation = {
      accountId: account.accountId,
      region,
      ruleName: rule.record.ruleName,
      resourceType: type,
      resourceId,
      complianceType: verdict.complianceType,
      annotation: verdict.annotation,
      resultRecordedTime: iso(invoked + rng.between(...recordedWithin)),
      configRuleInvokedTime: iso(invoked),
    };
    tally.count(rule.pack, e);
    return e;
  };

  for (const rule of scope.rules) {
    if (rule.resourceTypes.length === 0) {
      const invoked = periodicRun + rng.between(0, 90_000);
      yield result(rule, ACCOUNT_RESOURCE_TYPE, account.accountId, accountSubject, invoked, [800, 25_000]);
      continue;
    }
    for (const type of rule.resourceTypes) {
      for (const resource of byType.get(type) ?? []) {
        // Change-triggered: evaluated within minutes of the resource's last configuration change.
        const invoked = resource.changedAt + rng.between(15_000, 600_000);
        yield result(rule, type, resource.resourceId, resource, invoked, [150, 4_000]);
      }
    }
  }
}
