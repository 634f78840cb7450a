import { writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer';
import { AuditpackError } from '../errors';
import { BROWSER_TIMEOUT_MS, withBrowser } from './browser';
import { readPdfStructure } from './pdf-outline';

export interface PrintMargins {
  header: string;
  footer: string;
}

/** Page numbers of the table of contents' targets, by element id; null before the first pass. */
export type PageNumbers = ReadonlyMap<string, number>;

export interface ReportPdf {
  /** Renders the report page, with the contents' page numbers filled in from `pages` when given. */
  html(pages: PageNumbers | null): string;
  /** The element ids the table of contents points at. */
  contents: readonly string[];
  margins: PrintMargins;
  /** Stamped as the PDF's creation and modification date, so that renders of one pack agree. */
  timestamp: Date;
}

/** Passes after which the contents' page numbers must have settled. */
const MAX_PASSES = 3;

/**
 * Opens a page that runs no JavaScript and may fetch nothing: the report is self-contained, so
 * any request would be a defect or an attempt to leak pack data.
 */
async function lockedPage(browser: Parameters<Parameters<typeof withBrowser>[0]>[0]): Promise<Page> {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => void request.abort());
  return page;
}

async function print(page: Page, html: string, margins: PrintMargins): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: 'load', timeout: BROWSER_TIMEOUT_MS });
  return page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: margins.header,
    footerTemplate: margins.footer,
    // Room for the marking lines above and below the body.
    margin: { top: '17mm', bottom: '17mm', left: '15mm', right: '15mm' },
    tagged: true,
    outline: true,
    timeout: BROWSER_TIMEOUT_MS,
  });
}

/** Prints one HTML page to an A4 PDF as it is, in a locked-down page. */
export async function writePdf(file: string, html: string, margins: PrintMargins): Promise<void> {
  const bytes = await withBrowser(async (browser) => print(await lockedPage(browser), html, margins));
  await writeFile(file, bytes);
}

function samePages(a: PageNumbers, b: PageNumbers): boolean {
  return a.size === b.size && [...a].every(([id, page]) => b.get(id) === page);
}

/**
 * Prints the report with a table of contents whose page numbers are read back from the PDF
 * itself: the first pass prints it with the numbers left blank (their width is reserved, so
 * filling them in moves nothing), the page of every contents target is read from the PDF's named
 * destinations, and the next pass prints the numbers. A pass whose pages differ from the numbers
 * it printed is repeated with its own pages; if they have not settled after three passes the
 * report is not written rather than written with a wrong contents page.
 */
export async function writeReportPdf(file: string, report: ReportPdf): Promise<{ pages: number; passes: number }> {
  const { bytes, pages, passes } = await withBrowser(async (browser) => {
    const page = await lockedPage(browser);
    let printed: PageNumbers | null = null;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const bytes = await print(page, report.html(printed), report.margins);
      const structure = await readPdfStructure(bytes);
      const missing = report.contents.filter((id) => !structure.destinations.has(id));
      if (missing.length) throw new AuditpackError(`the PDF has no destination for contents entries ${missing.slice(0, 5).join(', ')}; cannot number the table of contents`);
      const found = new Map(report.contents.map((id) => [id, structure.destinations.get(id)!]));
      if (printed !== null && samePages(printed, found)) return { bytes, pages: structure.pageCount, passes: pass };
      printed = found;
    }
    throw new AuditpackError(`the table of contents page numbers did not settle after ${MAX_PASSES} passes; the PDF was not written`);
  });
  await writeFile(file, stampDates(bytes, report.timestamp));
  return { pages, passes };
}

/** `D:YYYYMMDDHHmmSS+00'00'`, the PDF date form Chromium writes. */
function pdfDate(when: Date): string {
  const iso = when.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

/**
 * Replaces the creation and modification dates Chromium stamps (the time of printing) with a
 * fixed one. The new date has the same length as the old, so no byte offset in the file moves.
 */
export function stampDates(bytes: Uint8Array, when: Date): Buffer {
  const buffer = Buffer.from(bytes);
  const date = pdfDate(when);
  const text = buffer.toString('latin1');
  for (const match of text.matchAll(/\/(?:CreationDate|ModDate) \((D:[^)]*)\)/g)) {
    const value = match[1];
    if (value.length !== date.length) continue;
    buffer.write(date, match.index + match[0].indexOf('(') + 1, 'latin1');
  }
  return buffer;
}
