import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { ReportFormat } from '../src/render';
import { AGGREGATOR, runCollect, type CollectMode, type CollectResult, type EvaluationPath } from './collect';
import { estateStats, type EstateStats } from './estate';
import { startFakeServer } from './fake-server';
import { stageScript } from './layout';
import { measure } from './measure';
import type { BenchOptions } from './options';
import type { Size } from './sizes';
import type { StageReport } from './stages/stage';
import { LIBRARY_WRITERS, type LibraryWriter } from './writers';

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

/** Collect against the fake AWS, per account and through the aggregator, each per rule and in bulk. */
export interface CollectStages {
  fakeAws: { indexSeconds: number; rssMB: number };
  /** Per rule; null where the run left the scope out (`--scopes`). */
  accounts: CollectResult | null;
  aggregator: CollectResult | null;
  /** `--collect-mode bulk`; absent from results measured before the bulk path existed. */
  bulk?: { accounts: CollectResult | null; aggregator: CollectResult | null };
}

/** Assess, each renderer, and the libraries alone on the same rows. */
export interface ReportStages {
  assess: StageResult;
  render: Record<(typeof FORMATS)[number], StageResult>;
  /** The rows of the tables the XLSX and CSV renders write, written straight by each library. */
  libraries: Record<LibraryWriter, StageResult>;
  /** Work time over work time: the renders over the libraries alone on the same rows (issue 6's targets). */
  ratios: { csv: number; xlsx: number; xlsxUnstyled: number };
}

export interface SizeResult {
  size: Size;
  estate: { accounts: number; locations: number; rules: number; evaluations: number; resources: number; packMB: number };
  generate: StageResult;
  /** Null when the run left the group out (`--stages`). */
  collect: CollectStages | null;
  report: ReportStages | null;
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

async function collectStages(dir: string, pack: string, stats: EstateStats, options: BenchOptions): Promise<CollectStages> {
  const server = await startFakeServer({ pack, latency: options.latency, rateLimit: options.rateLimit, aggregator: AGGREGATOR });
  try {
    const run = async (mode: CollectMode, evaluationPath: EvaluationPath) => {
      const out = path.join(dir, `collect-${mode}-${evaluationPath}`);
      log(`  collect (${mode}, ${evaluationPath}) ...`);
      const result = await runCollect(mode, evaluationPath, server, stats, out);
      log(`  collect (${mode}, ${evaluationPath}): ${result.seconds.toFixed(1)} s, ${result.calls} calls, ${result.throttles} throttled`);
      rmSync(out, { recursive: true });
      return result;
    };
    const chosen = (mode: CollectMode, evaluationPath: EvaluationPath) => (options.scopes.has(mode) ? run(mode, evaluationPath) : null);
    // Bulk first: at the larger sizes the per-rule aggregator run is the long one.
    const bulk = { accounts: await chosen('accounts', 'bulk'), aggregator: await chosen('aggregator', 'bulk') };
    const accounts = await chosen('accounts', 'per-rule');
    const aggregator = await chosen('aggregator', 'per-rule');
    return { fakeAws: { indexSeconds: server.indexSeconds, rssMB: server.rssMB }, accounts, aggregator, bulk };
  } finally {
    await server.stop();
  }
}

async function reportStages(dir: string, pack: string): Promise<ReportStages> {
  const at = (name: string) => path.join(dir, name);
  const assess = await stage(dir, 'assess', 'assess', [pack, at('result.json')]);
  const render = {} as ReportStages['render'];
  for (const format of FORMATS) {
    render[format] = await stage(dir, 'render', format, [pack, at('result.json'), format, at(`report-${format}`)]);
    if (format === 'pdf') render.pdf.details.pages = await pdfPages(at('report-pdf/report.pdf'));
    rmSync(at(`report-${format}`), { recursive: true });
  }
  const libraries = {} as ReportStages['libraries'];
  for (const writer of LIBRARY_WRITERS) {
    libraries[writer] = await stage(dir, 'library-rows', writer, [pack, at('result.json'), writer, at(`rows-${writer}`)]);
    rmSync(at(`rows-${writer}`), { recursive: true });
  }
  const ratio = (a: StageResult, b: StageResult) => a.workSeconds / b.workSeconds;
  return {
    assess,
    render,
    libraries,
    ratios: { csv: ratio(render.csv, libraries['csv-stringify']), xlsx: ratio(render.xlsx, libraries.exceljs), xlsxUnstyled: ratio(render.xlsx, libraries['exceljs-unstyled']) },
  };
}

/** Generates one size's estate and measures the chosen stages on it; its files are removed afterwards. */
export async function benchSize(size: Size, options: BenchOptions, work: string): Promise<SizeResult> {
  const dir = path.join(work, size.name);
  const pack = path.join(dir, 'pack');
  mkdirSync(dir, { recursive: true });
  try {
    log(`${size.name}: ${size.accounts} accounts, ${size.resourcesPerAccount} resources each`);
    const generate = await stage(dir, 'generate', 'generate', [pack, String(size.accounts), String(size.resourcesPerAccount)]);
    const stats = await estateStats(pack);
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
      generate,
      collect: options.stages.has('collect') ? await collectStages(dir, pack, stats, options) : null,
      report: options.stages.has('report') ? await reportStages(dir, pack) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
