/**
 * Where requests go. The AWS SDK clients resolve endpoints themselves: they honour
 * AWS_ENDPOINT_URL, the service-specific AWS_ENDPOINT_URL_<SERVICE> (CONFIG_SERVICE, STS, ...)
 * and `endpoint_url` in the shared config profile, so emulators and VPC endpoints work
 * without auditpack's help. --endpoint-url overrides all of them, for every service.
 */

/** The client option for --endpoint-url, or nothing so that the SDK resolves the endpoint. */
export function sdkEndpoint(endpointUrl: string | undefined): { endpoint?: string } {
  return endpointUrl === undefined ? {} : { endpoint: endpointUrl };
}

/**
 * The endpoint of AWS Artifact for the fallback client, with the precedence the SDK applies:
 * --endpoint-url, AWS_ENDPOINT_URL_ARTIFACT, AWS_ENDPOINT_URL (both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else AWS's own endpoint. Artifact is served
 * from one Region per partition (the endpoint rules' "implicit global region"), us-east-1 for
 * the commercial partition, whatever Regions are in scope.
 */
export function artifactEndpoint(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): URL {
  return configuredEndpoint(endpointUrl, env.AWS_ENDPOINT_URL_ARTIFACT, env) ?? new URL(`https://artifact.${ARTIFACT_REGION}.amazonaws.com`);
}

/**
 * Where STS requests go, to name it in a message: the same precedence, else STS's Regional
 * endpoint (the SDK's default; a profile's `endpoint_url` is not looked at here).
 */
export function stsEndpoint(endpointUrl: string | undefined, region: string, env: NodeJS.ProcessEnv = process.env): URL {
  return configuredEndpoint(endpointUrl, env.AWS_ENDPOINT_URL_STS, env) ?? new URL(`https://sts.${region}.amazonaws.com`);
}

function configuredEndpoint(endpointUrl: string | undefined, serviceVariable: string | undefined, env: NodeJS.ProcessEnv): URL | null {
  if (endpointUrl !== undefined) return new URL(endpointUrl);
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return null;
  const configured = serviceVariable || env.AWS_ENDPOINT_URL;
  return configured ? new URL(configured) : null;
}

/** The Region AWS Artifact requests are sent to and signed for. */
export const ARTIFACT_REGION = 'us-east-1';

/** Plain http and other ports only on this machine: emulators and tests serve locally, AWS never does. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origin of `endpoint` when it is an emulator on this machine, else null. */
export function loopbackOrigin(endpoint: URL): string | null {
  return LOOPBACK.has(endpoint.hostname) ? endpoint.origin : null;
}
