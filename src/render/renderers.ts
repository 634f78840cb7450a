import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Changes } from '../assess/diff';
import type { AssessmentResult } from '../assess/result';
import { writing } from '../integrity/write-errors';
import { CISO_ASSISTANT_AUDIT, CISO_ASSISTANT_E8_AUDIT, CISO_ASSISTANT_LIBRARY, cisoAssistantFiles, libraryYaml, writeAuditImport, writeEssentialEightImport } from './ciso-assistant';
import { DEFAULT_CSV_OPTIONS, writeCsv } from './csv';
import { HTML_DISPLAY, PDF_DISPLAY } from './display-text';
import { compileReport, renderPrintMargins } from './html';
import type { RenderedFile, RenderOptions, ReportFormat } from './options';
import { oscalExport, oscalPaths } from './oscal';
import { writeReportPdf } from './pdf';
import { DEFAULT_POAM_MILESTONES } from './poam/severity';
import { POAM_CSV, POAM_FILE, poamCsv, poamRows, writePoam } from './poam';
import type { PackRows } from './rows';
import { SSP_ANNEX_FILE, writeSspAnnex } from './ssp-annex';
import { reportTables } from './tables';
import { reportOutline, type ReportInput } from './view';
import { writeXlsx } from './xlsx';

/** What every renderer is given: the result, the rows streamed from its pack, and the changes since an earlier report. */
export interface RenderInput {
  result: AssessmentResult;
  rows: PackRows;
  changes: Changes | null;
}

export interface Renderer {
  /** The progress line told as it starts. */
  stage: string;
  /** The files it writes with these options, relative to the report folder. */
  files(input: RenderInput, options: RenderOptions): string[];
  /** Writes its files into `dir` and returns them with their data rows. */
  render(input: RenderInput, dir: string, options: RenderOptions): Promise<RenderedFile[]>;
}

const inFolder = (dir: string, rel: string) => path.join(dir, ...rel.split('/'));

const documentInput = ({ result, rows, changes }: RenderInput, options: RenderOptions): ReportInput => ({
  result,
  marking: options.marking,
  system: options.system ?? null,
  changes,
  rowsNote: rows.available ? null : rows.reason,
});

const tablesOf = ({ result, rows, changes }: RenderInput, options: RenderOptions) => reportTables({ result, rows, marking: options.marking, system: options.system ?? null, changes });

/**
 * Every format, in the order they are rendered (the documents first, as the slowest to fail).
 * Adding a format means adding it to REPORT_FORMATS and here; nothing else dispatches on it.
 */
export const RENDERERS: Record<ReportFormat, Renderer> = {
  html: {
    stage: 'rendering HTML',
    files: () => ['report.html'],
    async render(input, dir, options) {
      const template = await compileReport(documentInput(input, options), HTML_DISPLAY);
      await writing('report.html', () => writeFile(path.join(dir, 'report.html'), template(null), 'utf8'));
      return [{ path: 'report.html', records: null }];
    },
  },
  pdf: {
    stage: 'rendering PDF',
    files: () => ['report.pdf'],
    async render(input, dir, options) {
      const { result } = input;
      const template = await compileReport(documentInput(input, options), PDF_DISPLAY);
      const margins = await renderPrintMargins(result, options.marking, options.system ?? null);
      // Everything made from one pack is stamped with the time its collection completed, never the time of rendering.
      const timestamp = new Date(result.pack.completedAt);
      await writing('report.pdf', () => writeReportPdf(path.join(dir, 'report.pdf'), { html: template, contents: reportOutline(result).map((e) => e.id), margins, timestamp }));
      return [{ path: 'report.pdf', records: null }];
    },
  },
  xlsx: {
    stage: 'writing XLSX',
    files: () => ['report.xlsx'],
    async render(input, dir, options) {
      const { result } = input;
      await writing('report.xlsx', () => writeXlsx(path.join(dir, 'report.xlsx'), tablesOf(input, options), { marking: options.marking, sample: result.pack.sample, timestamp: new Date(result.pack.completedAt) }));
      return [{ path: 'report.xlsx', records: null }];
    },
  },
  annex: {
    stage: 'writing the SSP annex',
    files: () => [SSP_ANNEX_FILE],
    async render({ result }, dir, options) {
      await writing(SSP_ANNEX_FILE, () => writeSspAnnex(path.join(dir, SSP_ANNEX_FILE), result, { marking: options.marking, system: options.system ?? null }));
      return [{ path: SSP_ANNEX_FILE, records: null }];
    },
  },
  poam: {
    stage: 'writing the POA&M',
    files: () => [POAM_FILE, POAM_CSV],
    async render({ result, rows }, dir, options) {
      const milestones = options.poamMilestones ?? DEFAULT_POAM_MILESTONES;
      const plan = await poamRows(result, rows, milestones);
      await writing(POAM_FILE, () => writePoam(path.join(dir, POAM_FILE), result, plan, { marking: options.marking, system: options.system ?? null, milestones }));
      await mkdir(path.join(dir, 'csv'), { recursive: true });
      const records = await writing(POAM_CSV, () => writeCsv(inFolder(dir, POAM_CSV), poamCsv(plan), options.csv ?? DEFAULT_CSV_OPTIONS));
      return [
        { path: POAM_FILE, records: null },
        { path: POAM_CSV, records },
      ];
    },
  },
  csv: {
    stage: 'writing CSV',
    files: (input, options) => tablesOf(input, options).map((t) => t.csv),
    async render(input, dir, options) {
      await mkdir(path.join(dir, 'csv'), { recursive: true });
      const written: RenderedFile[] = [];
      for (const table of tablesOf(input, options)) written.push({ path: table.csv, records: await writing(table.csv, () => writeCsv(inFolder(dir, table.csv), table, options.csv ?? DEFAULT_CSV_OPTIONS)) });
      return written;
    },
  },
  oscal: {
    stage: 'writing OSCAL',
    files: (input) => oscalPaths(input.result),
    async render(input, dir, options) {
      // Validated against NIST's schemas before anything is written.
      const files = oscalExport(input.result, { marking: options.marking, system: options.system ?? null });
      await mkdir(path.join(dir, 'oscal'), { recursive: true });
      for (const file of files) await writing(file.path, () => writeFile(inFolder(dir, file.path), file.text, 'utf8'));
      return files.map((f) => ({ path: f.path, records: null }));
    },
  },
  'ciso-assistant': {
    stage: 'writing the CISO Assistant library and audit imports',
    files: ({ result }) => cisoAssistantFiles(result),
    async render({ result }, dir) {
      // Checked against CISO Assistant's loader rules before anything is written.
      const library = libraryYaml(result);
      const files = cisoAssistantFiles(result);
      await mkdir(path.join(dir, 'ciso-assistant'), { recursive: true });
      await writing(CISO_ASSISTANT_LIBRARY, () => writeFile(inFolder(dir, CISO_ASSISTANT_LIBRARY), library, 'utf8'));
      await writing(CISO_ASSISTANT_AUDIT, () => writeAuditImport(inFolder(dir, CISO_ASSISTANT_AUDIT), result));
      if (files.includes(CISO_ASSISTANT_E8_AUDIT)) await writing(CISO_ASSISTANT_E8_AUDIT, () => writeEssentialEightImport(inFolder(dir, CISO_ASSISTANT_E8_AUDIT), result));
      return files.map((f) => ({ path: f, records: null }));
    },
  },
};
