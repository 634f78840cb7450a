import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AuditpackError } from '../errors';
import { clientConfig, httpTimeouts, type ClientSettings } from './clients';

/** Names the sessions in CloudTrail, so an account owner can see what auditpack read. */
const ROLE_SESSION_NAME = 'auditpack-collect';

/**
 * The caller's credentials from the SDK's standard chain: environment, shared config and
 * credentials files (including SSO and `--profile`), web identity, container and instance roles.
 * The clients the chain makes itself (STS for a profile's role, SSO) get collect's timeouts.
 */
export function callerCredentials(profile: string | undefined, requestTimeoutMs: number): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({ ...(profile === undefined ? {} : { profile }), clientConfig: { requestHandler: httpTimeouts(requestTimeoutMs) } });
}

/** Resolves the credentials once, so that having none fails before anything is collected. */
export async function requireCredentials(credentials: AwsCredentialIdentityProvider): Promise<void> {
  try {
    await credentials();
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    throw new AuditpackError(
      `no AWS credentials found: ${reason} (set AWS_PROFILE or --profile, sign in with \`aws sso login\`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
    );
  }
}

/**
 * Credentials of a role assumed with the caller's. Every client of the account shares them,
 * so the role is assumed once, and again only shortly before the session expires.
 */
export function roleCredentials(
  roleArn: string,
  caller: AwsCredentialIdentityProvider,
  settings: ClientSettings,
  stsRegion: string,
): AwsCredentialIdentityProvider {
  return shared(
    fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME },
      masterCredentials: caller,
      clientConfig: clientConfig(settings, stsRegion, caller),
      clientPlugins: [settings.ledger.plugin('sts')],
    }),
  );
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: ReturnType<AwsCredentialIdentityProvider> | undefined;
  let expiresAt = Infinity;
  return () => {
    if (!pending || Date.now() >= expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      pending = provider().then((identity) => {
        expiresAt = identity.expiration?.getTime() ?? Infinity;
        return identity;
      });
      // A failed attempt is not kept: the next caller tries again.
      pending.catch(() => (pending = undefined));
    }
    return pending;
  };
}
