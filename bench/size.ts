import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { ReportFormat } from '../src/render';
import { AGGREGATOR, runCollect, type CollectMode, type CollectResult } from './collect';
import { estateStats } from './estate';
import { startFakeServer } from './fake-server';
import { stageScript } from './layout';
import { measure } from './measure';
import type { BenchOptions } from './options';
import type { Size } from './sizes';
import type { StageReport } from './stages/stage';
import { EVIDENCE_WRITERS, type EvidenceWriter } from './writers';

export const FORMATS = ['pdf', 'xlsx', 'csv', 'html'] as const satisfies readonly ReportFormat[];

export interface StageResult {
  /** From starting the process to its exit: Node's start, loading, opening the pack and the work. */
  wallSeconds: number;
  /** The work alone (generating, assessing, rendering, writing). */
  workSeconds: number;
  peakNodeMB: number;
  peakTreeMB: number;
  details: Record<string, unknown>;
}

export interface SizeResult {
  size: Size;
  estate: { accounts: number; locations: number; rules: number; evaluations: number; resources: number; packMB: number };
  fakeAws: { indexSeconds: number; rssMB: number };
  generate: StageResult;
  collect: Record<CollectMode, CollectResult>;
  assess: StageResult;
  render: Record<(typeof FORMATS)[number], StageResult>;
  /** The report's Evidence rows written by each writer alone. */
  evidenceRows: Record<EvidenceWriter, StageResult>;
  /** Work time over work time. */
  ratios: {
    /** The CSV render over csv-stringify alone on the Evidence rows (issue 6's target). */
    csv: number;
    /** The XLSX render over the exceljs streaming writer alone on the Evidence rows (issue 6's target). */
    xlsx: number;
    /** The XLSX render over exceljs with styles off. */
    xlsxUnstyled: number;
    /** Our CSV and XLSX writers on the Evidence rows alone, over the libraries alone: what our writers add per row. */
    csvEvidence: number;
    xlsxEvidence: number;
  };
}

const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Runs a stage script in its own measured process and reads what it reported. */
async function stage(dir: string, name: string, label: string, args: string[]): Promise<StageResult> {
  const reportFile = path.join(dir, `${label}.report.json`);
  log(`  ${label} ...`);
  const m = await measure(stageScript(name), [reportFile, ...args]);
  if (m.exitCode !== 0) throw new Error(`stage ${label} exited ${m.exitCode}:\n${m.stderr}`);
  const { seconds, maxRssMB, ...details } = JSON.parse(readFileSync(reportFile, 'utf8')) as StageReport;
  log(`  ${label}: ${m.seconds.toFixed(1)} s, Node ${Math.max(m.peakNodeMB, maxRssMB)} MB, tree ${m.peakTreeMB} MB`);
  return { wallSeconds: m.seconds, workSeconds: seconds, peakNodeMB: Math.max(m.peakNodeMB, maxRssMB), peakTreeMB: m.peakTreeMB, details };
}

async function pdfPages(file: string): Promise<number> {
  return (await PDFDocument.load(readFileSync(file), { updateMetadata: false })).getPageCount();
}

/** Generates one size's estate and measures every stage on it; its files are removed afterwards. */
export async function benchSize(size: Size, options: BenchOptions, work: string): Promise<SizeResult> {
  const dir = path.join(work, size.name);
  const at = (name: string) => path.join(dir, name);
  mkdirSync(dir, { recursive: true });
  try {
    log(`${size.name}: ${size.accounts} accounts, ${size.resourcesPerAccount} resources each`);
    const generate = await stage(dir, 'generate', 'generate', [at('pack'), String(size.accounts), String(size.resourcesPerAccount)]);
    const stats = await estateStats(at('pack'));

    const server = await startFakeServer({ pack: at('pack'), latency: options.latency, rateLimit: options.rateLimit, aggregator: AGGREGATOR });
    const collect = {} as SizeResult['collect'];
    try {
      for (const mode of ['accounts', 'aggregator'] as const) {
        log(`  collect (${mode}) ...`);
        collect[mode] = await runCollect(mode, server, stats, at(`collect-${mode}`));
        log(`  collect (${mode}): ${collect[mode].seconds.toFixed(1)} s, ${collect[mode].calls} calls, ${collect[mode].throttles} throttled`);
        rmSync(at(`collect-${mode}`), { recursive: true });
      }
    } finally {
      await server.stop();
    }

    const assess = await stage(dir, 'assess', 'assess', [at('pack'), at('result.json')]);
    const render = {} as SizeResult['render'];
    for (const format of FORMATS) {
      render[format] = await stage(dir, 'render', format, [at('pack'), at('result.json'), format, at(`report-${format}`)]);
      if (format === 'pdf') render.pdf.details.pages = await pdfPages(at('report-pdf/report.pdf'));
    }
    const evidenceRows = {} as SizeResult['evidenceRows'];
    for (const writer of EVIDENCE_WRITERS) evidenceRows[writer] = await stage(dir, 'evidence-rows', writer, [at('pack'), at('result.json'), writer, at(`rows-${writer}`)]);
    const ratio = (a: StageResult, b: StageResult) => a.workSeconds / b.workSeconds;

    return {
      size,
      estate: {
        accounts: stats.accounts.length,
        locations: stats.locations.length,
        rules: stats.locations.reduce((n, l) => n + l.rules.length, 0),
        evaluations: stats.evaluations,
        resources: stats.resources,
        packMB: Math.round(stats.bytes / 2 ** 20),
      },
      fakeAws: { indexSeconds: server.indexSeconds, rssMB: server.rssMB },
      generate,
      collect,
      assess,
      render,
      evidenceRows,
      ratios: {
        csv: ratio(render.csv, evidenceRows['csv-stringify']),
        xlsx: ratio(render.xlsx, evidenceRows.exceljs),
        xlsxUnstyled: ratio(render.xlsx, evidenceRows['exceljs-unstyled']),
        csvEvidence: ratio(evidenceRows['auditpack-csv'], evidenceRows['csv-stringify']),
        xlsxEvidence: ratio(evidenceRows['auditpack-xlsx'], evidenceRows.exceljs),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
