/** The calendar date `days` after a `YYYY-MM-DD` date (UTC, so no daylight-saving day is lost). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
