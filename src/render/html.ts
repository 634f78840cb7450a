import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { STATUSES, type AssessmentResult } from '../assess/result';
import { displayView, HTML_DISPLAY, PDF_DISPLAY, type DisplayOptions } from './display-text';
import type { PageNumbers } from './pdf';
import { STATUS_COLOURS } from './statuses';
import { reportView, type ReportInput } from './view';

/** Resolved the same from src/render under Jest and from dist/render after a build. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates');

// Strict mode turns a misspelt field into an error instead of a silently empty cell.
const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true } as const;

/** The status colour classes, generated from the one table the XLSX fills use too. */
const statusCss = (): string => STATUSES.map((s) => `.st-${s} { --c: ${STATUS_COLOURS[s].fill}; --t: ${STATUS_COLOURS[s].text}; }`).join('\n');

/** A compiled report page: call it with the contents' page numbers (or null) to get the HTML. */
export type ReportTemplate = (pages: PageNumbers | null) => string;

/**
 * Compiles the report templates once for the given input; the PDF renders them up to three times.
 * Every value is prepared for display first (`display`: the PDF's or the HTML page's).
 */
export async function compileReport(input: ReportInput, display: DisplayOptions = HTML_DISPLAY): Promise<ReportTemplate> {
  // An isolated environment: partials registered here never leak into other Handlebars users.
  const hbs = Handlebars.create();
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const name of (await readdir(partialsDir)).filter((n) => n.endsWith('.hbs')).sort()) {
    hbs.registerPartial(path.basename(name, '.hbs'), await readFile(path.join(partialsDir, name), 'utf8'));
  }
  const [source, stylesheet] = await Promise.all([readFile(path.join(TEMPLATES_DIR, 'report.hbs'), 'utf8'), readFile(path.join(TEMPLATES_DIR, 'report.css'), 'utf8')]);
  const template = hbs.compile(source, COMPILE_OPTIONS);
  const css = new Handlebars.SafeString(`${stylesheet}\n${statusCss()}\n`);
  return (pages) => template({ ...displayView(reportView(input, pages), display), css });
}

/** The self-contained report page (inline CSS and SVG; no scripts, no external references), without page numbers. */
export async function renderHtml(input: ReportInput): Promise<string> {
  return (await compileReport(input))(null);
}

/** Header and footer for every PDF page; Chromium renders them apart from the page, so they carry their own styles. */
export async function renderPrintMargins(result: AssessmentResult, marking: string, system: string | null = null): Promise<{ header: string; footer: string }> {
  const hbs = Handlebars.create();
  const view = displayView(
    {
      marking,
      sample: result.pack.sample,
      packId: result.pack.packId,
      context: `${system ?? 'ISM compliance report'} · ${result.pack.period}`,
    },
    PDF_DISPLAY,
  );
  const render = async (name: string) => hbs.compile(await readFile(path.join(TEMPLATES_DIR, name), 'utf8'), COMPILE_OPTIONS)(view);
  return { header: await render('print-header.hbs'), footer: await render('print-footer.hbs') };
}
