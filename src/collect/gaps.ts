import type { CollectionGap } from '../evidence/manifest';
import { attemptsOf, isAwsFailure, isNetworkError, isRegionUnavailable, isServerError, isThrottling } from './aws-errors';
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

/** Why the failure matters, in words an assessor reads in the report's gap list. */
function explain(error: unknown, attempts: number): string {
  const e = error as { message?: string; $metadata?: { httpStatusCode?: number } };
  const detail = oneLine(e.message ?? String(error));
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (error instanceof MalformedResponseError) return `malformed response: ${detail}`;
  if (isRegionUnavailable(error)) return `the Region is not enabled for this account, or the credentials are not valid there: ${detail}`;
  if (isThrottling(error)) return `throttled${tries}; retries exhausted: ${detail}`;
  if (isServerError(error)) return `server error (HTTP ${e.$metadata!.httpStatusCode})${tries}: ${detail}`;
  if (isNetworkError(error)) return `AWS could not be reached${tries}: ${detail}`;
  return detail + tries;
}

/**
 * The gap a failure leaves, or null when the error is not a collection failure at all (a bug
 * in auditpack), which the caller must let end the run.
 */
export function toGap(where: Where, error: unknown, subject?: string): CollectionGap | null {
  if (!(error instanceof MalformedResponseError) && !isAwsFailure(error)) return null;
  const e = error as { name?: string; code?: string };
  const errorCode = isNetworkError(error) ? e.code! : e.name || 'Error';
  const message = explain(error, attemptsOf(error));
  return { ...where, errorCode, message: subject ? `${subject}: ${message}` : message };
}
