import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AssessmentResult } from '../../src/assess/result';
import { packRows, renderReport, REPORT_FORMATS, type ReportFormat } from '../../src/render';
import { runStage, timed } from './stage';

/**
 * Renders one format of an assessed pack: `render REPORT PACK RESULT FORMAT OUT`. Opening the
 * pack's row source (checking its manifest against the result) is timed apart; its files are
 * hashed as the render streams them.
 */
runStage(async ([packDir, resultFile, format, outDir]) => {
  if (!REPORT_FORMATS.includes(format as ReportFormat)) throw new Error(`unknown format ${format}`);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as AssessmentResult;
  const opened = await timed(() => packRows(result, packDir));
  mkdirSync(outDir, { recursive: true });
  const { value: files, seconds } = await timed(() => renderReport(result, opened.value, outDir, { formats: [format as ReportFormat], marking: 'OFFICIAL: Sensitive' }));
  const bytes = files.reduce((n, f) => n + statSync(path.join(outDir, f.path)).size, 0);
  // Data rows of the CSV files, to compare with what the libraries alone wrote.
  const rows = files.reduce((n, f) => n + (f.records ?? 0), 0);
  return { seconds, openSeconds: opened.seconds, files: files.map((f) => f.path), bytes, rows };
});
