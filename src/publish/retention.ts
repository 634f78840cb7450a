import { AuditpackError } from '../errors';

export const LOCK_MODES = ['COMPLIANCE', 'GOVERNANCE'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** The Object Lock retention every published object carries. */
export interface Retention {
  mode: LockMode;
  until: Date;
}

const DAY_MS = 86_400_000;
/** S3 takes longer, but a century is past any records schedule an evidence pack is kept under. */
const MAX_DAYS = 36_500;

export interface RetentionArgs {
  retainUntil?: string;
  retainDays?: number;
  mode?: string;
}

/** `--retain-until DATE | --retain-days N [--mode]`: exactly one of the first two, in the future. */
export function parseRetention(args: RetentionArgs, now: Date = new Date()): Retention {
  const mode = (args.mode ?? 'COMPLIANCE').toUpperCase();
  if (!(LOCK_MODES as readonly string[]).includes(mode)) throw new AuditpackError(`--mode: "${args.mode}" is not COMPLIANCE or GOVERNANCE`);
  if ((args.retainUntil === undefined) === (args.retainDays === undefined)) {
    throw new AuditpackError('--retain-until or --retain-days: give exactly one, e.g. --retain-days 2555 (seven years)');
  }
  let until: Date;
  if (args.retainDays !== undefined) {
    const days = args.retainDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new AuditpackError(`--retain-days: ${days} is not a whole number of days from 1 to ${MAX_DAYS}`);
    until = new Date(now.getTime() + days * DAY_MS);
  } else {
    const text = args.retainUntil!.trim();
    // A bare date is the start of that day in UTC, as S3 reads a retain-until timestamp.
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
    if (Number.isNaN(parsed.getTime())) throw new AuditpackError(`--retain-until: "${args.retainUntil}" is not a date (YYYY-MM-DD) or an ISO 8601 timestamp`);
    if (parsed.getTime() <= now.getTime()) throw new AuditpackError(`--retain-until: ${parsed.toISOString()} is not in the future`);
    if (parsed.getTime() > now.getTime() + MAX_DAYS * DAY_MS) throw new AuditpackError(`--retain-until: ${parsed.toISOString()} is more than ${MAX_DAYS} days away`);
    until = parsed;
  }
  return { mode: mode as LockMode, until };
}
