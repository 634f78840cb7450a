/**
 * The sample's fixed calendar: a pack collected on one evening in November 2026, whatever the
 * day it is generated, so that expiry and "evaluated N days ago" read the same in every run.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 22:00Z is 9 am the next morning in Canberra (AEDT), when an agency would run it. */
export const COLLECTION_START = Date.UTC(2026, 10, 16, 22, 0, 0);

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
