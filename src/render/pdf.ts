import { BROWSER_TIMEOUT_MS, withBrowser } from './browser';

export interface PrintMargins {
  header: string;
  footer: string;
}

/**
 * Prints the report page to an A4 PDF. The page runs no JavaScript and may fetch nothing: the
 * report is self-contained, so any request would be a defect or an attempt to leak pack data.
 */
export async function writePdf(file: string, html: string, margins: PrintMargins): Promise<void> {
  await withBrowser(async (browser) => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => void request.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: BROWSER_TIMEOUT_MS });
    await page.pdf({
      path: file,
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: margins.header,
      footerTemplate: margins.footer,
      // Room for the marking lines above and below the body.
      margin: { top: '20mm', bottom: '20mm', left: '14mm', right: '14mm' },
      tagged: true,
      outline: true,
      timeout: BROWSER_TIMEOUT_MS,
    });
  });
}
