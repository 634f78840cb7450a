import type { RecorderStatus } from '../evidence/records';
import { streamFor, type Random } from './random';
import { COLLECTION_START, MINUTE, DAY, iso } from './timeline';

/** Sydney holds the workloads, Melbourne the disaster-recovery copies. */
export const HOME_REGION = 'ap-southeast-2';
export const SECOND_REGION = 'ap-southeast-4';
/** Outside Australia: in scope only to show data that should not be there. */
export const STRAY_REGION = 'us-east-1';
export const SCOPE_REGIONS = [HOME_REGION, SECOND_REGION, STRAY_REGION] as const;

/**
 * Seeds the estate itself (account ids and names, resources, rule deployments, timestamps). The
 * user's seed varies only outcomes (which resources fail, the manual evidence), so packs made with
 * different seeds describe the same accounts and resources and can be compared.
 */
export const ESTATE_SEED = 1;

export type AccountRole = 'security' | 'production' | 'non-production' | 'workload';

export interface SampleAccount {
  index: number;
  accountId: string;
  name: string;
  role: AccountRole;
  /** Environment stem of the account's resource names, e.g. "prod" in prod-payroll-pg-01. */
  env: string;
}

const LANDING_ZONE: readonly { name: string; role: AccountRole; env: string }[] = [
  { name: 'sample-security', role: 'security', env: 'sec' },
  { name: 'sample-production', role: 'production', env: 'prod' },
  { name: 'sample-non-production', role: 'non-production', env: 'nonprod' },
];

export function sampleAccounts(count: number): SampleAccount[] {
  const rng = streamFor(ESTATE_SEED, 'accounts');
  const taken = new Set<string>();
  const accounts: SampleAccount[] = [];
  for (let index = 0; index < count; index++) {
    const nnn = String(index - LANDING_ZONE.length + 1).padStart(3, '0');
    const known = LANDING_ZONE[index] ?? { name: `sample-workload-${nnn}`, role: 'workload' as const, env: `wl${nnn}` };
    accounts.push({ index, accountId: freshAccountId(rng, taken), ...known });
  }
  return accounts;
}

function freshAccountId(rng: Random, taken: Set<string>): string {
  for (;;) {
    const id = rng.chars('0123456789', 12);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/**
 * The estate's recording gaps, both of which an assessor must see: the non-production account
 * stopped recording in Melbourne, and only production records in us-east-1 (where someone
 * created a bucket by mistake). With fewer accounts the same roles fall to the last account.
 */
export type RecorderState = 'recording' | 'stopped' | 'absent';

export function recorderState(account: SampleAccount, region: string, accountCount: number): RecorderState {
  if (region === STRAY_REGION) return account.index === strayAccountIndex(accountCount) ? 'recording' : 'absent';
  if (region === SECOND_REGION && account.index === Math.min(2, accountCount - 1)) return 'stopped';
  return 'recording';
}

export function strayAccountIndex(accountCount: number): number {
  return Math.min(1, accountCount - 1);
}

export function recorderStatus(account: SampleAccount, region: string, state: RecorderState, rng: Random): RecorderStatus {
  const located = { accountId: account.accountId, region };
  switch (state) {
    case 'recording':
      return {
        ...located,
        recorderName: 'default',
        recording: true,
        lastStatus: 'SUCCESS',
        lastStatusChangeTime: iso(COLLECTION_START - rng.between(2, 50) * MINUTE),
        deliveryChannelName: 'default',
        lastDeliveryStatus: 'SUCCESS',
      };
    case 'stopped':
      // Stopped after deliveries to the log archive bucket began failing, weeks before collection.
      return {
        ...located,
        recorderName: 'default',
        recording: false,
        lastStatus: 'FAILURE',
        lastStatusChangeTime: iso(COLLECTION_START - 41 * DAY - rng.between(60, 600) * MINUTE),
        deliveryChannelName: 'default',
        lastDeliveryStatus: 'FAILURE',
      };
    case 'absent':
      return {
        ...located,
        recorderName: null,
        recording: false,
        lastStatus: null,
        lastStatusChangeTime: null,
        deliveryChannelName: null,
        lastDeliveryStatus: null,
      };
  }
}
