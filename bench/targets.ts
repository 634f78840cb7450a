import { COLLECT_MODES, type CollectResult } from './collect';
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
/** Issue 14's targets for the bulk path against the per-rule path in the same run. */
const BULK_FEWER_CALLS = 10;
const BULK_FASTER = 5;

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
    const { collect } = s;
    for (const mode of COLLECT_MODES) {
      const perRule = collect[mode];
      const bulk = collect.bulk?.[mode] ?? null;
      for (const c of [perRule, bulk]) {
        if (!c) continue;
        const label = c.path === 'bulk' ? `${c.mode}, bulk` : c.mode;
        checks.push({ target: `collect (${label}): API calls within 5% of the minimum`, size: s.size.name, value: `${(c.overMinimum * 100).toFixed(2)}% over`, met: c.overMinimum <= OVER_MINIMUM });
        checks.push({ target: `collect (${label}): no run abandoned because of throttling`, size: s.size.name, value: `${c.throttlingGaps} throttling gaps, exit ${c.exitCode}`, met: c.throttlingGaps === 0 && c.exitCode === 0 });
      }
      if (perRule && bulk) checks.push(...bulkChecks(s.size.name, perRule, bulk));
    }
  }
  return checks;
}

/** The bulk path against the per-rule path of the same scope: fewer calls, faster, the same evaluations, under 1 GB. */
function bulkChecks(size: string, perRule: CollectResult, bulk: CollectResult): TargetCheck[] {
  const target = (what: string) => `collect (${bulk.mode}): bulk ${what}`;
  const fewer = perRule.calls / bulk.calls;
  const faster = perRule.seconds / bulk.seconds;
  return [
    { target: target(`makes at least ${BULK_FEWER_CALLS}x fewer calls than per rule`), size, value: `${fewer.toFixed(1)}x`, met: fewer >= BULK_FEWER_CALLS },
    { target: target(`runs at least ${BULK_FASTER}x faster than per rule`), size, value: `${faster.toFixed(1)}x`, met: faster >= BULK_FASTER },
    { target: target('writes as many evaluations as per rule'), size, value: `${bulk.evaluations} and ${perRule.evaluations}`, met: bulk.evaluations === perRule.evaluations },
    { target: target('Node process under 1 GB'), size, value: `${bulk.peakNodeMB} MB`, met: bulk.peakNodeMB < NODE_LIMIT_MB },
  ];
}
