/**
 * How the assessment decides whether a manual record (an attestation, a risk acceptance, a
 * process check's result) still counts. collect --carry-forward judges with the same rule, so a
 * record it carries is one the assessment of the new pack treats as valid.
 */

/** The day statuses are judged at unless one is given: the (UTC) day collection completed. */
export const collectionDay = (completedAt: string): string => completedAt.slice(0, 10);

/** A record valid until `until` (YYYY-MM-DD, inclusive) has expired when judged at a later day. */
export const expiredAt = (until: string, asOf: string): boolean => until < asOf;
