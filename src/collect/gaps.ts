import type { CollectionGap } from '../evidence/manifest';
import { attemptsOf, isAwsFailure, isNetworkError, isRegionUnavailable, isServerError, isThrottling, isTimeout } from './aws-errors';
import { LimitExceededError } from './bounds';
import { RefusedUrlError } from './download';
import { MalformedResponseError } from './malformed';

/** Where a piece of evidence was being read: the "what" and "where" of a gap. */
export interface Where {
  collector: string;
  service: string;
  operation: string;
  accountId: string | null;
  region: string | null;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The SDK's advice to developers when it cannot parse an answer: no use to an assessor. */
const SDK_PARSE_ADVICE = /\s*Deserialization error: to see the raw response.*$/s;

/** Why the failure matters, in words an assessor reads in the report's gap list. */
function explain(error: unknown, attempts: number): string {
  const e = error as { message?: string; $metadata?: { httpStatusCode?: number } };
  const message = e.message ?? String(error);
  const detail = SDK_PARSE_ADVICE.test(message) ? `the answer could not be read (${oneLine(message.replace(SDK_PARSE_ADVICE, ''))})` : oneLine(message);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (error instanceof MalformedResponseError) return `malformed response: ${detail}`;
  if (error instanceof LimitExceededError) return `beyond what collect accepts from one source: ${detail}`;
  if (error instanceof RefusedUrlError) return `refused: ${detail}`;
  if (isRegionUnavailable(error)) return `the Region is not enabled for this account, or the credentials are not valid there: ${detail}`;
  if (isThrottling(error)) return `throttled${tries}; retries exhausted: ${detail}`;
  if (isServerError(error)) return `server error (HTTP ${e.$metadata!.httpStatusCode})${tries}: ${detail}`;
  if (isTimeout(error)) return `no answer within the request timeout (--request-timeout)${tries}: ${detail}`;
  if (isNetworkError(error)) return `AWS could not be reached${tries}: ${detail}`;
  return detail + tries;
}

/** The code a gap records for a failure: AWS's error code, the socket error, or TimeoutError. */
function errorCodeOf(error: unknown): string {
  const e = error as { name?: string; code?: string };
  return isTimeout(error) ? 'TimeoutError' : isNetworkError(error) ? e.code! : e.name || 'Error';
}

/** A failure (from AWS or reaching it) in one line with its code, e.g. for the error that stops collect. */
export function describeFailure(error: unknown): string {
  const code = errorCodeOf(error);
  return `${code === 'Error' ? '' : `${code}: `}${explain(error, attemptsOf(error))}`;
}

/**
 * The gap a failure leaves, or null when the error is not a collection failure at all (a bug
 * in auditpack), which the caller must let end the run.
 */
export function toGap(where: Where, error: unknown, subject?: string): CollectionGap | null {
  const refusal = error instanceof MalformedResponseError || error instanceof LimitExceededError || error instanceof RefusedUrlError;
  if (!refusal && !isAwsFailure(error)) return null;
  const message = explain(error, attemptsOf(error));
  return { ...where, errorCode: errorCodeOf(error), message: subject ? `${subject}: ${message}` : message };
}
