import type { SizeResult } from './size';

/** One of issue 6's targets, checked on one size. */
export interface TargetCheck {
  target: string;
  size: string;
  value: string;
  met: boolean;
}

const NODE_LIMIT_MB = 1024;
const PDF_PAGES = 300;
const LIBRARY_RATIO = 1.5;
const OVER_MINIMUM = 0.05;

/**
 * Memory, PDF length and the library ratios are targets for the large estate (checked on the
 * largest size whose report stages ran, which the check names); collect's targets hold at every size.
 */
export function checkTargets(sizes: readonly SizeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const largest = sizes.filter((s) => s.report).at(-1);
  if (largest?.report) {
    const size = largest.size.name;
    const { assess, render, ratios } = largest.report;
    const stages = { assess, xlsx: render.xlsx, csv: render.csv, pdf: render.pdf };
    for (const [name, s] of Object.entries(stages)) checks.push({ target: `${name}: Node process under 1 GB`, size, value: `${s.peakNodeMB} MB`, met: s.peakNodeMB < NODE_LIMIT_MB });
    const pages = Number(render.pdf.details.pages);
    checks.push({ target: 'PDF under 300 pages', size, value: `${pages} pages`, met: pages < PDF_PAGES });
    checks.push({ target: 'CSV within 1.5x of csv-stringify alone', size, value: `${ratios.csv.toFixed(2)}x`, met: ratios.csv <= LIBRARY_RATIO });
    checks.push({ target: 'XLSX within 1.5x of the exceljs streaming writer alone', size, value: `${ratios.xlsx.toFixed(2)}x`, met: ratios.xlsx <= LIBRARY_RATIO });
  }
  for (const s of sizes) {
    if (!s.collect) continue;
    for (const c of [s.collect.accounts, s.collect.aggregator]) {
      checks.push({ target: `collect (${c.mode}): API calls within 5% of the minimum`, size: s.size.name, value: `${(c.overMinimum * 100).toFixed(2)}% over`, met: c.overMinimum <= OVER_MINIMUM });
      checks.push({ target: `collect (${c.mode}): no run abandoned because of throttling`, size: s.size.name, value: `${c.throttlingGaps} throttling gaps, exit ${c.exitCode}`, met: c.throttlingGaps === 0 && c.exitCode === 0 });
    }
  }
  return checks;
}
