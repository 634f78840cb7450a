import type { ReportScope } from '../mapping/mappings';
import type { ExcludedReport, ReportRef } from './result';

/** A report counts only if its period ended within this many months of the as-of date. */
export const REPORT_CURRENCY_MONTHS = 12;

/** The service of a resource type: AWS::S3::Bucket -> AWS::S3. */
export const serviceOf = (resourceType: string) => resourceType.split('::').slice(0, 2).join('::');

function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Why a report does not evidence AWS's part of a control, or no reason when it does: (a) its
 * assurance must reach a classification the control applies at, (b) every service in use where
 * AWS has a part must be in its scope, and (c) its period must have ended within 12 months.
 */
export function reportShortfalls(report: ReportRef, scope: ReportScope | undefined, applicability: readonly string[], services: readonly string[], asOf: string): string[] {
  if (!scope) return [`no scope is mapped for the ${report.series} series`];
  const reasons: string[] = [];
  if (!applicability.some((a) => scope.assurance.includes(a))) {
    reasons.push(`its assurance (${scope.assurance.join(', ')}) does not reach this control, which applies only at ${applicability.join(', ')}`);
  }
  const outside = services.filter((s) => !scope.services.has(s));
  if (outside.length) reasons.push(`${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside its service scope (as read ${scope.servicesRead})`);
  if (!report.period) reasons.push('it states no report period');
  else if (report.period.end < monthsBefore(asOf, REPORT_CURRENCY_MONTHS)) reasons.push(`its period ended ${report.period.end}, more than ${REPORT_CURRENCY_MONTHS} months before ${asOf}`);
  return reasons;
}

/** Splits the reports of the control's mapped series into those that evidence it and those that do not, with why. */
export function scopeReports(
  reports: readonly ReportRef[],
  scopes: ReadonlyMap<string, ReportScope>,
  applicability: readonly string[],
  services: readonly string[],
  asOf: string,
): { reports: ReportRef[]; reportsExcluded: ExcludedReport[] } {
  const out = { reports: [] as ReportRef[], reportsExcluded: [] as ExcludedReport[] };
  for (const r of reports) {
    const reasons = reportShortfalls(r, scopes.get(r.series), applicability, services, asOf);
    if (reasons.length) out.reportsExcluded.push({ id: r.id, name: r.name, series: r.series, reasons });
    else out.reports.push(r);
  }
  return out;
}
