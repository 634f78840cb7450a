import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ApiCallLedger } from './api-calls';
import { sdkEndpoint } from './endpoints';

/** What every AWS client of one run shares. */
export interface ClientSettings {
  /** --endpoint-url, for every service; otherwise the SDK's own endpoint resolution. */
  endpointUrl?: string;
  maxAttempts: number;
  /** --request-timeout, in milliseconds. */
  requestTimeoutMs: number;
  ledger: ApiCallLedger;
}

/** --request-timeout's default: AWS answers in well under a second; a minute is a dead endpoint. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

/**
 * The timeouts of every HTTP request collect sends (SDK clients, its own Artifact client,
 * report downloads), so that an endpoint that accepts and never answers cannot hang the run:
 * connecting, the answer's headers, and any silence while its body arrives each get
 * `requestTimeoutMs`. A timed-out request is retried like a network fault.
 */
export function httpTimeouts(requestTimeoutMs: number) {
  return { connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, socketTimeout: requestTimeoutMs, throwOnRequestTimeout: true };
}

/**
 * The SDK configuration collect uses everywhere: adaptive retries (they also slow the client
 * down when AWS throttles, instead of only retrying), the attempts the user allows, the
 * timeouts, and the ledger that counts each request.
 */
export function clientConfig(settings: ClientSettings, region: string, credentials: AwsCredentialIdentityProvider) {
  return { region, credentials, retryMode: 'adaptive', maxAttempts: settings.maxAttempts, requestHandler: httpTimeouts(settings.requestTimeoutMs), ...sdkEndpoint(settings.endpointUrl) };
}

export function configClient(settings: ClientSettings, region: string, credentials: AwsCredentialIdentityProvider): ConfigServiceClient {
  const client = new ConfigServiceClient(clientConfig(settings, region, credentials));
  client.middlewareStack.use(settings.ledger.plugin('config'));
  return client;
}

export function stsClient(settings: ClientSettings, region: string, credentials: AwsCredentialIdentityProvider): STSClient {
  const client = new STSClient(clientConfig(settings, region, credentials));
  client.middlewareStack.use(settings.ledger.plugin('sts'));
  return client;
}
