import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AuditpackError } from '../errors';
import { isAwsFailure } from './aws-errors';
import { stsClient, type ClientSettings } from './clients';
import { roleCredentials } from './credentials';
import { stsEndpoint } from './endpoints';
import { describeFailure } from './gaps';
import type { CollectionRun } from './run';

/** An account collect reads, with the credentials that reach it. */
export interface AccountTarget {
  accountId: string;
  credentials: AwsCredentialIdentityProvider;
}

const accountOfRole = (roleArn: string) => roleArn.split(':')[4];

/** The caller's account. Without it nothing can be attributed, so a failure ends the run. */
export async function callerAccount(settings: ClientSettings, credentials: AwsCredentialIdentityProvider, region: string): Promise<string> {
  const sts = stsClient(settings, region, credentials);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new AuditpackError('STS GetCallerIdentity returned no account id');
    return identity.Account;
  } catch (e) {
    if (!isAwsFailure(e)) throw e;
    const at = stsEndpoint(settings.endpointUrl, region).origin;
    throw new AuditpackError(`cannot identify the caller with STS GetCallerIdentity at ${at}: ${describeFailure(e)}`);
  } finally {
    sts.destroy();
  }
}

/**
 * The accounts in scope: the caller's, and each role's (a role in the caller's own account
 * is used for it instead of the caller's credentials). A role that cannot be assumed leaves a
 * gap; its account stays in scope, so that reports show it as uncollected rather than omit it.
 */
export async function accountTargets(
  run: CollectionRun,
  settings: ClientSettings,
  caller: { accountId: string; credentials: AwsCredentialIdentityProvider },
  roleArns: string[],
  stsRegion: string,
): Promise<{ targets: AccountTarget[]; accounts: string[] }> {
  const targets = new Map<string, AccountTarget>([[caller.accountId, caller]]);
  const accounts = new Set([caller.accountId]);
  for (const roleArn of roleArns) {
    const accountId = accountOfRole(roleArn);
    accounts.add(accountId);
    const credentials = roleCredentials(roleArn, caller.credentials, settings, stsRegion);
    const assumed = await run.step({ collector: 'scope', service: 'sts', operation: 'AssumeRole', accountId, region: null }, () => credentials(), roleArn);
    if (assumed.ok) targets.set(accountId, { accountId, credentials });
  }
  return { targets: [...targets.values()], accounts: [...accounts] };
}

/** The credentials for an aggregator: the caller's, or those of the one role given to reach its account. */
export async function aggregatorTarget(
  settings: ClientSettings,
  caller: { accountId: string; credentials: AwsCredentialIdentityProvider },
  roleArn: string | undefined,
  stsRegion: string,
): Promise<AccountTarget> {
  if (roleArn === undefined) return caller;
  const credentials = roleCredentials(roleArn, caller.credentials, settings, stsRegion);
  try {
    await credentials();
  } catch (e) {
    if (!isAwsFailure(e)) throw e;
    throw new AuditpackError(`--role-arn: cannot assume ${roleArn}: ${describeFailure(e)}`);
  }
  return { accountId: accountOfRole(roleArn), credentials };
}
