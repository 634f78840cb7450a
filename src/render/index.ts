import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssessmentResult } from '../assess/result';
import type { EvidencePack } from '../evidence/reader';
import { AuditpackError } from '../errors';
import { writeCsv } from './csv';
import { renderHtml, renderPrintMargins } from './html';
import { loadManualEvidence } from './manual';
import { writePdf } from './pdf';
import { reportTables } from './tables';
import { writeXlsx } from './xlsx';

export const REPORT_FORMATS = ['pdf', 'xlsx', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  formats: readonly ReportFormat[];
  /** Protective marking printed at the top and bottom of every page, e.g. 'OFFICIAL: Sensitive'. */
  marking: string;
}

export interface RenderedFile {
  /** Relative to the report folder, with forward slashes (as the report manifest lists it). */
  path: string;
  /** Data rows for CSV files; null for other formats. */
  records: number | null;
}

/**
 * Writes the requested formats into `dir` (an already-created staging directory) and returns
 * the files written, for the caller to hash into the report manifest.
 */
export async function renderReport(result: AssessmentResult, pack: EvidencePack, dir: string, options: RenderOptions): Promise<RenderedFile[]> {
  // A result assessed from another pack would print one pack's statuses over another's evidence.
  if (result.pack.manifestSha256 !== pack.manifestSha256) {
    throw new AuditpackError(
      `the assessment result is for pack manifest ${result.pack.manifestSha256}, but the pack at ${pack.dir} has manifest ${pack.manifestSha256}; assess this pack again`,
    );
  }
  const formats = new Set(options.formats);
  const manual = await loadManualEvidence(result, pack);
  const written: RenderedFile[] = [];

  if (formats.has('html') || formats.has('pdf')) {
    const html = await renderHtml(result, pack, manual, options.marking);
    if (formats.has('html')) {
      await writeFile(path.join(dir, 'report.html'), html, 'utf8');
      written.push({ path: 'report.html', records: null });
    }
    if (formats.has('pdf')) {
      await writePdf(path.join(dir, 'report.pdf'), html, await renderPrintMargins(result, options.marking));
      written.push({ path: 'report.pdf', records: null });
    }
  }

  const tables = reportTables(result, pack, manual, options.marking);
  if (formats.has('xlsx')) {
    await writeXlsx(path.join(dir, 'report.xlsx'), tables, { marking: options.marking, sample: result.pack.sample });
    written.push({ path: 'report.xlsx', records: null });
  }
  if (formats.has('csv')) {
    await mkdir(path.join(dir, 'csv'), { recursive: true });
    for (const table of tables) {
      if (table.csv === null) continue;
      written.push({ path: table.csv, records: await writeCsv(path.join(dir, ...table.csv.split('/')), table) });
    }
  }
  return written;
}

