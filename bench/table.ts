import type { CollectResult } from './collect';
import type { Machine } from './machine';
import { FORMATS, type SizeResult, type StageResult } from './size';
import { EVIDENCE_WRITERS, type EvidenceWriter } from './writers';
import type { TargetCheck } from './targets';

const n = (x: number) => x.toLocaleString('en-AU');
const s = (x: number) => x.toFixed(1);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

type Row = [stage: string, wall: string, work: string, node: string, tree: string, notes: string];

const stageRow = (name: string, r: StageResult, notes: string): Row => [name, s(r.wallSeconds), s(r.workSeconds), n(r.peakNodeMB), n(r.peakTreeMB), notes];

function collectRow(c: CollectResult): Row {
  const notes = `${n(c.calls)} calls for a minimum of ${n(c.minimum)} (first attempts ${pct(c.overMinimum)}); ${n(c.retries)} retries, ${n(c.throttles)} throttled; ${c.throttlingGaps} throttling gaps`;
  return [`collect, ${c.mode === 'aggregator' ? 'aggregator' : 'per account'}`, s(c.seconds), '–', n(c.peakNodeMB), '–', notes];
}

const WRITER_LABELS: Record<EvidenceWriter, string> = {
  'csv-stringify': 'Evidence rows: csv-stringify alone',
  exceljs: 'Evidence rows: exceljs alone',
  'exceljs-unstyled': 'Evidence rows: exceljs, styles off',
  'auditpack-csv': 'Evidence rows: our CSV writer',
  'auditpack-xlsx': 'Evidence rows: our XLSX writer',
};

const x = (ratio: number) => `${ratio.toFixed(2)}x`;

function sizeRows(r: SizeResult): Row[] {
  const e = r.estate;
  return [
    stageRow('generate', r.generate, `${n(e.evaluations)} evaluations, ${n(e.resources)} resources, ${n(e.rules)} rules in ${n(e.locations)} account-Regions; pack ${n(e.packMB)} MB`),
    collectRow(r.collect.accounts),
    collectRow(r.collect.aggregator),
    stageRow('assess', r.assess, `${n(Number(r.assess.details.controls))} controls`),
    ...FORMATS.map((f) => {
      const notes = {
        pdf: `${n(Number(r.render.pdf.details.pages))} pages`,
        xlsx: `${x(r.ratios.xlsx)} exceljs alone (${x(r.ratios.xlsxUnstyled)} with its styles off)`,
        csv: `${x(r.ratios.csv)} csv-stringify alone`,
        html: '',
      }[f];
      return stageRow(`render ${f}`, r.render[f], notes);
    }),
    ...EVIDENCE_WRITERS.map((w) => {
      const notes = { 'auditpack-csv': `${x(r.ratios.csvEvidence)} csv-stringify alone`, 'auditpack-xlsx': `${x(r.ratios.xlsxEvidence)} exceljs alone` }[w as string] ?? '';
      return stageRow(WRITER_LABELS[w], r.evidenceRows[w], `${n(Number(r.evidenceRows[w].details.rows))} rows${notes && `; ${notes}`}`);
    }),
  ];
}

/** The results as Markdown: the machine, one table per size, and the targets. */
export function renderTables(machine: Machine, sizes: readonly SizeResult[], targets: readonly TargetCheck[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const header = ['stage', 'wall s', 'work s', 'Node MB', 'tree MB', 'notes'];
  const out = [`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.os}, Node ${machine.node}; ${machine.date}`];
  for (const r of sizes) {
    out.push(
      '',
      `### ${r.size.name}: ${n(r.estate.accounts)} accounts, ${n(r.estate.evaluations)} evaluations`,
      '',
      `The fake AWS indexed the pack in ${s(r.fakeAws.indexSeconds)} s and held ${n(r.fakeAws.rssMB)} MB.`,
      '',
      line(header),
      line(header.map(() => '---')),
      ...sizeRows(r).map(line),
    );
  }
  out.push('', '### Targets', '', line(['target', 'size', 'value', 'met']), line(['---', '---', '---', '---']), ...targets.map((t) => line([t.target, t.size, t.value, t.met ? 'yes' : '**no**'])));
  return out.join('\n');
}
