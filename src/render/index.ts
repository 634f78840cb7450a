import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssessmentResult } from '../assess/result';
import type { EvidencePack } from '../evidence/reader';
import { AuditpackError } from '../errors';
import { writing } from '../integrity/write-errors';
import { CISO_ASSISTANT_CSV, cisoAssistantTable, type CsvProfile } from './ciso-assistant';
import { compareResults, type EarlierReport } from './compare';
import { DEFAULT_CSV_OPTIONS, writeCsv, type CsvOptions } from './csv';
import { HTML_DISPLAY, PDF_DISPLAY } from './display-text';
import { compileReport, renderPrintMargins } from './html';
import { loadManualEvidence } from './manual';
import { oscalExport } from './oscal';
import { describePackFiles } from './pack-files';
import { writeReportPdf } from './pdf';
import { reportTables } from './tables';
import { readPackFacts, reportOutline, type ReportInput } from './view';
import { writeXlsx } from './xlsx';

export const REPORT_FORMATS = ['pdf', 'xlsx', 'csv', 'html', 'oscal'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export { CSV_PROFILES, type CsvProfile } from './ciso-assistant';
export { CSV_DELIMITERS, type CsvDelimiter, type CsvOptions } from './csv';
export { loadEarlierReport, type EarlierReport } from './compare';

export interface RenderOptions {
  formats: readonly ReportFormat[];
  /** Protective marking printed at the top and bottom of every page, e.g. 'OFFICIAL: Sensitive'. */
  marking: string;
  /** The name of the system assessed, for the cover and page headers (`--system`). */
  system?: string | null;
  /** An earlier report to show changes against (`--compare`); null or absent: none. */
  earlier?: EarlierReport | null;
  /** Delimiter and byte order mark of the standard CSV files. */
  csv?: CsvOptions;
  /** Extra CSV files in a GRC tool's import format (`--csv-profile`). */
  csvProfiles?: readonly CsvProfile[];
  /** Told as each format starts, for progress on a terminal. */
  onStage?: (stage: string) => void;
}

export interface RenderedFile {
  /** Relative to the report folder, with forward slashes (as the report manifest lists it). */
  path: string;
  /** Data rows for CSV files; null for other formats. */
  records: number | null;
}

const inFolder = (dir: string, rel: string) => path.join(dir, ...rel.split('/'));

/**
 * Writes the requested formats into `dir` (an already-created staging directory) and returns
 * the files written, for the caller to hash into the report manifest. Renderers read only the
 * assessment result, the pack (streamed) and, with `earlier`, an earlier assessment result.
 */
export async function renderReport(result: AssessmentResult, pack: EvidencePack, dir: string, options: RenderOptions): Promise<RenderedFile[]> {
  // A result assessed from another pack would print one pack's statuses over another's evidence.
  if (result.pack.manifestSha256 !== pack.manifestSha256) {
    throw new AuditpackError(
      `the assessment result is for pack manifest ${result.pack.manifestSha256}, but the pack at ${pack.dir} has manifest ${pack.manifestSha256}; assess this pack again`,
    );
  }
  const formats = new Set(options.formats);
  const system = options.system?.trim() || null;
  const manual = await loadManualEvidence(result, pack);
  const files = await describePackFiles(pack, manual);
  const changes = options.earlier ? compareResults(result, options.earlier) : null;
  // Everything made from one pack is stamped with the time its collection completed, never the time of rendering.
  const timestamp = new Date(result.pack.completedAt);
  const written: RenderedFile[] = [];
  const stage = options.onStage ?? (() => {});

  if (formats.has('html') || formats.has('pdf')) {
    const input: ReportInput = { result, pack, manual, files, marking: options.marking, system, changes, facts: await readPackFacts(result, pack) };
    if (formats.has('html')) {
      stage('rendering HTML');
      const template = await compileReport(input, HTML_DISPLAY);
      await writing('report.html', () => writeFile(path.join(dir, 'report.html'), template(null), 'utf8'));
      written.push({ path: 'report.html', records: null });
    }
    if (formats.has('pdf')) {
      stage('rendering PDF');
      const template = await compileReport(input, PDF_DISPLAY);
      const margins = await renderPrintMargins(result, options.marking, system);
      await writing('report.pdf', () => writeReportPdf(path.join(dir, 'report.pdf'), { html: template, contents: reportOutline(result).map((e) => e.id), margins, timestamp }));
      written.push({ path: 'report.pdf', records: null });
    }
  }

  const tables = reportTables({ result, pack, manual, files, marking: options.marking, system, changes });
  if (formats.has('xlsx')) {
    stage('writing XLSX');
    await writing('report.xlsx', () => writeXlsx(path.join(dir, 'report.xlsx'), tables, { marking: options.marking, sample: result.pack.sample, timestamp }));
    written.push({ path: 'report.xlsx', records: null });
  }
  if (formats.has('csv')) {
    stage('writing CSV');
    await mkdir(path.join(dir, 'csv'), { recursive: true });
    for (const table of tables) written.push({ path: table.csv, records: await writing(table.csv, () => writeCsv(inFolder(dir, table.csv), table, options.csv ?? DEFAULT_CSV_OPTIONS)) });
    // The profile's consumer reads one fixed dialect (comma, no byte order mark), whatever the standard files use.
    if (options.csvProfiles?.includes('ciso-assistant')) {
      written.push({ path: CISO_ASSISTANT_CSV, records: await writing(CISO_ASSISTANT_CSV, () => writeCsv(inFolder(dir, CISO_ASSISTANT_CSV), cisoAssistantTable(result))) });
    }
  }
  if (formats.has('oscal')) {
    stage('writing OSCAL');
    await mkdir(path.join(dir, 'oscal'), { recursive: true });
    for (const file of oscalExport(result, { marking: options.marking, system })) {
      await writing(file.path, () => writeFile(inFolder(dir, file.path), file.text, 'utf8'));
      written.push({ path: file.path, records: null });
    }
  }
  return written;
}
