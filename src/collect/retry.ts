import type { ApiCallLedger } from './api-calls';
import { isAwsFailure, isNetworkError, isServerError, isThrottling, isTimeout } from './aws-errors';

/** The SDK's backoff bases: throttling waits longer than a transient fault. */
const THROTTLING_BASE_MS = 1000;
const TRANSIENT_BASE_MS = 100;
const MAX_DELAY_MS = 20_000;

const isRetryable = (e: unknown) => isThrottling(e) || isServerError(e) || isNetworkError(e) || isTimeout(e);

/**
 * Retries for requests the SDK does not send (the Artifact fallback client, report
 * downloads): the same errors are retried as by the SDK's standard mode, with its exponential
 * backoff and full jitter, and every attempt is counted in the ledger. The error that ends the
 * retries carries the number of attempts, as the SDK's do.
 */
export async function withRetries<T>(ledger: ApiCallLedger, service: string, operation: string, maxAttempts: number, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    ledger.sent(service, operation, n);
    try {
      return await attempt();
    } catch (e) {
      const throttled = isThrottling(e);
      if (throttled) ledger.throttled(service, operation);
      if (n >= maxAttempts || !isRetryable(e)) {
        // Only failures of the request carry the attempts; a bug or a local fault stays what it is.
        if (isAwsFailure(e)) {
          const error = e as { $metadata?: object };
          error.$metadata = { ...error.$metadata, attempts: n };
        }
        throw e;
      }
      const base = throttled ? THROTTLING_BASE_MS : TRANSIENT_BASE_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(base * 2 ** (n - 1), MAX_DELAY_MS)));
    }
  }
}
