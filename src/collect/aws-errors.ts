/**
 * How collect tells AWS failures apart. An error that AWS (or the network on the way to it)
 * produced is a collection failure: it becomes a gap and the rest is still collected. Any other
 * error is a bug in auditpack and must stop the run rather than hide as a gap.
 */

/** The error names the SDKs use for throttling (as the SDK's own retry strategy classifies them). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/**
 * What AWS answers in a Region that is not enabled for the account (opt-in Regions): the
 * credentials are unknown there, so every further call in that Region would fail the same way.
 */
const REGION_UNAVAILABLE = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'OptInRequired']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const shape = (e: unknown): AwsErrorShape => (typeof e === 'object' && e !== null ? (e as AwsErrorShape) : {});

export function isThrottling(e: unknown): boolean {
  const { name, $metadata } = shape(e);
  return THROTTLING.has(name ?? '') || $metadata?.httpStatusCode === 429;
}

export function isRegionUnavailable(e: unknown): boolean {
  return REGION_UNAVAILABLE.has(shape(e).name ?? '');
}

export function isServerError(e: unknown): boolean {
  const status = shape(e).$metadata?.httpStatusCode ?? 0;
  return status >= 500 && status <= 599;
}

/**
 * Node's socket and name resolution errors: AWS could not be reached. Other system errors
 * (ENOSPC, EACCES: writing the pack) are this machine's, never a gap.
 */
const NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPROTO',
]);

export function isNetworkError(e: unknown): boolean {
  return NETWORK_ERRORS.has(shape(e).code ?? '');
}

/** A request that got no answer (or no connection) within --request-timeout. */
export function isTimeout(e: unknown): boolean {
  return shape(e).name === 'TimeoutError';
}

/**
 * True for errors that came from AWS or from reaching it. The SDK's retry layer attaches
 * `$metadata` to every error it gives up on, so any error out of `send` carries it; errors
 * raised before a request is sent (a bad input built by auditpack) do not.
 */
export function isAwsFailure(e: unknown): boolean {
  const s = shape(e);
  return s.$metadata !== undefined || isNetworkError(e) || s.name === 'CredentialsProviderError' || s.name === 'TimeoutError';
}

export function attemptsOf(e: unknown): number {
  return shape(e).$metadata?.attempts ?? 1;
}
