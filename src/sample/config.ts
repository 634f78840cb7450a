import type { PackWriter } from '../evidence/writer';
import type { Resource } from '../evidence/records';
import { ESTATE_SEED, recorderState, recorderStatus, sampleAccounts, SCOPE_REGIONS, type SampleAccount } from './estate';
import { evaluations, PackTally } from './evaluations';
import type { SampleOptions } from './options';
import { hash32, seedWord, streamFor } from './random';
import { accountResources, type SampleResource } from './resources';
import { deployProcessChecks, processCheckEvaluations } from './process-checks';
import { deployRules, PACK_NAMES } from './rules';

export interface ConfigSummary {
  accounts: SampleAccount[];
  evaluations: number;
}

/**
 * The AWS Config evidence of the whole estate, account by account and Region by Region.
 * Only one account's resources are held at a time and each record is written as it is made,
 * so a thousand-account estate fits in memory.
 */
export async function writeConfigEvidence(writer: PackWriter, options: SampleOptions): Promise<ConfigSummary> {
  const accounts = sampleAccounts(options.accounts);
  let evaluated = 0;
  for (const account of accounts) {
    const resources = accountResources(options.seed, account, accounts.length, options.resourcesPerAccount);
    for (const [r, region] of SCOPE_REGIONS.entries()) {
      // Rule names, ARNs and times belong to the estate; only the outcomes follow the user's seed.
      const rng = streamFor(ESTATE_SEED, `config:${account.index}:${region}`);
      const state = recorderState(account, region, accounts.length);
      await writer.write('recorderStatus', recorderStatus(account, region, state, rng));
      // Without a recorder Config holds no inventory and its rules have nothing to judge.
      if (state !== 'recording') continue;

      const here = resources.filter((x) => x.region === region);
      for (const resource of here) await writer.write('resources', inventoryRecord(resource));
      const rules = deployRules(account, region, rng);
      for (const rule of rules) await writer.write('configRules', rule.record);
      const checks = deployProcessChecks(account, region, rules);
      for (const rule of checks) await writer.write('configRules', rule);
      const tally = new PackTally(PACK_NAMES);
      const scope = { account, region, rules, resources: here, accountKey: hash32(seedWord(options.seed), account.index, r + 1) };
      for (const e of evaluations(scope, tally, rng)) {
        await writer.write('evaluations', e);
        evaluated++;
      }
      for (const e of processCheckEvaluations(checks)) {
        await writer.write('evaluations', e);
        evaluated++;
      }
      for (const pack of tally.records(account.accountId, region)) await writer.write('conformancePacks', pack);
    }
  }
  return { accounts, evaluations: evaluated };
}

function inventoryRecord(r: SampleResource): Resource {
  return { accountId: r.accountId, region: r.region, resourceType: r.resourceType, resourceId: r.resourceId, resourceName: r.resourceName, arn: r.arn };
}
