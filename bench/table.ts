import { COLLECT_MODES, type CollectResult } from './collect';
import type { BenchResults } from './run';
import { FORMATS, type ReportStages, type SizeResult, type StageResult } from './size';
import { LIBRARY_WRITERS, type LibraryWriter } from './writers';

const n = (x: number) => x.toLocaleString('en-AU');
const s = (x: number) => x.toFixed(1);
const x = (ratio: number) => `${ratio.toFixed(2)}x`;
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

type Row = [stage: string, wall: string, work: string, node: string, tree: string, notes: string];

const stageRow = (name: string, r: StageResult, notes: string): Row => [name, s(r.wallSeconds), s(r.workSeconds), n(r.peakNodeMB), n(r.peakTreeMB), notes];

/** A collect run; a bulk one also against the per-rule run of the same scope (`perRule`). */
function collectRow(c: CollectResult, perRule?: CollectResult): Row {
  const notes = `${n(c.calls)} calls for a minimum of ${n(c.minimum)} (first attempts ${pct(c.overMinimum)}); ${n(c.retries)} retries, ${n(c.throttles)} throttled; ${c.throttlingGaps} throttling gaps`;
  const versus = perRule ? `; ${x(perRule.calls / c.calls)} fewer calls and ${x(perRule.seconds / c.seconds)} faster than per rule, ${n(c.evaluations)} evaluations (per rule ${n(perRule.evaluations)})` : '';
  return [`collect, ${c.mode === 'aggregator' ? 'aggregator' : 'per account'}, ${c.path === 'bulk' ? 'bulk' : 'per rule'}`, s(c.seconds), '–', n(c.peakNodeMB), '–', notes + versus];
}

function collectRows(c: NonNullable<SizeResult['collect']>): Row[] {
  return COLLECT_MODES.flatMap((mode) => {
    const perRule = c[mode];
    const bulk = c.bulk?.[mode];
    return [...(perRule ? [collectRow(perRule)] : []), ...(bulk ? [collectRow(bulk, perRule ?? undefined)] : [])];
  });
}

const LIBRARY_LABELS: Record<LibraryWriter, string> = {
  'csv-stringify': 'same rows: csv-stringify alone',
  exceljs: 'same rows: exceljs alone',
  'exceljs-unstyled': 'same rows: exceljs, styles off',
};

function reportRows(r: ReportStages): Row[] {
  const notes: Record<(typeof FORMATS)[number], string> = {
    pdf: `${n(Number(r.render.pdf.details.pages))} pages`,
    xlsx: `${x(r.ratios.xlsx)} exceljs alone (${x(r.ratios.xlsxUnstyled)} with its styles off)`,
    csv: `${x(r.ratios.csv)} csv-stringify alone`,
    html: '',
  };
  return [
    stageRow('assess', r.assess, `${n(Number(r.assess.details.controls))} controls`),
    ...FORMATS.map((f) => stageRow(`render ${f}`, r.render[f], notes[f])),
    ...LIBRARY_WRITERS.map((w) => stageRow(LIBRARY_LABELS[w], r.libraries[w], `${n(Number(r.libraries[w].details.rows))} rows`)),
  ];
}

function sizeRows(r: SizeResult): Row[] {
  const e = r.estate;
  return [
    stageRow('generate', r.generate, `${n(e.evaluations)} evaluations, ${n(e.resources)} resources, ${n(e.rules)} rules in ${n(e.locations)} account-Regions; pack ${n(e.packMB)} MB`),
    ...(r.collect ? collectRows(r.collect) : []),
    ...(r.report ? reportRows(r.report) : []),
  ];
}

/** The results as Markdown: the machine, one table per size, and the targets. */
export function renderTables({ machine, runs, sizes, targets }: BenchResults): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const header = ['stage', 'wall s', 'work s', 'Node MB', 'tree MB', 'notes'];
  const out = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.os}, Node ${machine.node}`,
    '',
    ...runs.map((r) => {
      const elsewhere = r.machine && r.machine.os !== machine.os ? ` (on ${r.machine.os})` : '';
      return `- run finished ${r.finishedAt}: ${r.sizes.join(', ')}; ${r.stages.join(' and ')} stages${r.scopes ? `, collect ${r.scopes.join(' and ')}` : ''}${elsewhere}`;
    }),
  ];
  for (const r of sizes) {
    out.push(
      '',
      `### ${r.size.name}: ${n(r.estate.accounts)} accounts, ${n(r.estate.evaluations)} evaluations`,
      ...(r.collect ? ['', `The fake AWS indexed the pack in ${s(r.collect.fakeAws.indexSeconds)} s and held ${n(r.collect.fakeAws.rssMB)} MB.`] : []),
      '',
      line(header),
      line(header.map(() => '---')),
      ...sizeRows(r).map(line),
    );
  }
  out.push('', '### Targets', '', line(['target', 'size', 'value', 'met']), line(['---', '---', '---', '---']), ...targets.map((t) => line([t.target, t.size, t.value, t.met ? 'yes' : '**no**'])));
  return out.join('\n');
}
