import { compareResults, type EarlierReport } from '../assess/diff';
import type { AssessmentResult } from '../assess/result';
import type { RenderedFile, RenderOptions } from './options';
import { RENDERERS } from './renderers';
import type { PackRows } from './rows';

export { CSV_DELIMITERS, type CsvDelimiter, type CsvOptions } from './csv';
export { REPORT_FORMATS, type RenderedFile, type RenderOptions, type ReportFormat } from './options';
export { packRows, type PackRows } from './rows';

export interface RenderRun {
  /** An earlier report to show changes against (`--compare`); null or absent: none. */
  earlier?: EarlierReport | null;
  /** Told as each format starts, for progress on a terminal. */
  onStage?: (stage: string) => void;
}

/**
 * Writes the requested formats into `dir` (an already-created staging directory) and returns
 * the files written, for the caller to hash into the report manifest. Renderers read only the
 * assessment result, the rows streamed from its pack and, with `earlier`, an earlier result.
 */
export async function renderReport(result: AssessmentResult, rows: PackRows, dir: string, options: RenderOptions, run: RenderRun = {}): Promise<RenderedFile[]> {
  const input = { result, rows, changes: run.earlier ? compareResults(result, run.earlier) : null };
  const written: RenderedFile[] = [];
  for (const [format, renderer] of Object.entries(RENDERERS)) {
    if (!options.formats.includes(format as keyof typeof RENDERERS)) continue;
    run.onStage?.(renderer.stage);
    const files = await renderer.render(input, dir, options);
    // The registry's list is what a reader of the folder relies on; a renderer that strays from it is a bug.
    const declared = renderer.files(input, options);
    if (files.map((f) => f.path).join('\n') !== declared.join('\n')) throw new Error(`auditpack bug: the ${format} renderer wrote ${files.map((f) => f.path).join(', ')}, not ${declared.join(', ')}`);
    written.push(...files);
  }
  return written;
}
