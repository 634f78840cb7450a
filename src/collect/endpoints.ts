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
  if (endpointUrl !== undefined) return new URL(endpointUrl);
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    const configured = env.AWS_ENDPOINT_URL_ARTIFACT || env.AWS_ENDPOINT_URL;
    if (configured) return new URL(configured);
  }
  return new URL(`https://artifact.${ARTIFACT_REGION}.amazonaws.com`);
}

/** The Region AWS Artifact requests are sent to and signed for. */
export const ARTIFACT_REGION = 'us-east-1';
