import { AuditpackError } from '../errors';
import { PackManifest } from '../evidence/manifest';

export interface SampleOptions {
  seed: number;
  accounts: number;
  /** Resources each account's workloads own; the few behind the sample's headline findings come on top. */
  resourcesPerAccount: number;
  period: string;
}

/** About 7,000 evaluations: enough to make every chart and table of a report meaningful. */
export const DEFAULT_SAMPLE_OPTIONS: SampleOptions = { seed: 1, accounts: 3, resourcesPerAccount: 500, period: '2026-Q4' };

export function checkSampleOptions(options: SampleOptions): void {
  if (!Number.isSafeInteger(options.seed)) throw new AuditpackError(`sample seed must be an integer, not ${options.seed}`);
  if (!Number.isSafeInteger(options.accounts) || options.accounts < 1) throw new AuditpackError(`sample accounts must be a whole number of at least 1, not ${options.accounts}`);
  if (!Number.isSafeInteger(options.resourcesPerAccount) || options.resourcesPerAccount < 0) {
    throw new AuditpackError(`sample resources per account must be a whole number, not ${options.resourcesPerAccount}`);
  }
  const period = PackManifest.shape.period.safeParse(options.period);
  if (!period.success) throw new AuditpackError(`sample period ${JSON.stringify(options.period)} must be a label such as 2026-Q4`);
}
