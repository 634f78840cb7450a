import type { z } from 'zod';

/** Formats the first schema problem as `field: message`, the way a user fixes it. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
