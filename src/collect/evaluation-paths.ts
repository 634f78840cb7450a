import type { EvaluationPath } from '../evidence/manifest';
import type { Location } from './config-records';

/** Which path each location's evaluations came by, for the manifest's `evaluationPaths`. */
export class EvaluationPaths {
  private readonly byLocation = new Map<string, EvaluationPath>();

  record(loc: Location, path: EvaluationPath['path']): void {
    this.byLocation.set(`${loc.accountId}/${loc.region}`, { accountId: loc.accountId, region: loc.region, path });
  }

  entries(): EvaluationPath[] {
    return [...this.byLocation.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  }
}
