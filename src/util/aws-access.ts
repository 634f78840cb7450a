import { DEFAULT_REQUEST_TIMEOUT_SECONDS, httpTimeouts } from '../collect/clients';
import { callerCredentials, requireCredentials } from '../collect/credentials';
import { sdkEndpoint } from '../collect/endpoints';
import { redactSecrets } from '../collect/redact';

/**
 * How the commands beyond collect (signing with KMS, publishing to S3) reach AWS: the same
 * credential chain, profiles and endpoint override as collect, and a Region when the SDK's
 * own resolution (AWS_REGION, the profile's region) is not what the user wants.
 */
export interface AwsAccess {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

/** Collect's default: an endpoint that accepts and never answers must not hang signing or publishing either. */
const REQUEST_TIMEOUT_MS = DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;

export function awsClientConfig(access: AwsAccess, region = access.region) {
  return {
    ...(region === undefined ? {} : { region }),
    ...(access.profile === undefined ? {} : { profile: access.profile }),
    credentials: callerCredentials(access.profile, REQUEST_TIMEOUT_MS),
    requestHandler: httpTimeouts(REQUEST_TIMEOUT_MS),
    ...sdkEndpoint(access.endpointUrl),
  };
}

/** Fails with collect's one-line advice when there are no credentials, before any request. */
export function requireAwsCredentials(access: AwsAccess): Promise<void> {
  return requireCredentials(callerCredentials(access.profile, REQUEST_TIMEOUT_MS));
}

/** One line for an SDK error: its AWS error code and message, without a stack or any credential an endpoint echoed. */
export function describeAwsError(e: unknown): string {
  const err = e as { name?: string; message?: string };
  const message = redactSecrets((err.message ?? String(e)).replace(/\s+/g, ' ').trim());
  return err.name && err.name !== 'Error' && !message.startsWith(err.name) ? `${err.name}: ${message}` : message;
}
