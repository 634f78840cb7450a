import type { AssessmentResult } from '../assess/result';
import type { FileEntry } from '../integrity/files';

/** What a person wants to read after a report is written: where it went and the headline. */
export function describeReport(outDir: string, result: AssessmentResult, files: FileEntry[]): string {
  const statuses = Object.entries(result.totals.byStatus)
    .filter(([, n]) => n)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    `Report written to ${outDir}${result.pack.sample ? ' (SAMPLE DATA)' : ''}`,
    ...files.map((f) => `  ${f.path}  ${f.bytes} bytes`),
    `${result.baseline}: ${result.totals.controls} controls; ${statuses}`,
  ].join('\n');
}
