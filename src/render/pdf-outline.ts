import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

export interface PdfStructure {
  pageCount: number;
  /** Named destination (an element id that a link points at) -> 1-based page number. */
  destinations: Map<string, number>;
  /** The bookmarks in document order: title, nesting depth (0 = top level) and 1-based page. */
  outline: { title: string; depth: number; page: number | null }[];
}

const name = (key: string) => PDFName.of(key);

const text = (o: PDFObject | undefined): string | null =>
  o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : o instanceof PDFName ? o.decodeText() : null;

/**
 * Reads back where Chromium put things: its named destinations (one for every element id that
 * an internal link targets) and its outline. The table of contents takes its page numbers from
 * the destinations; tests read the outline to check the bookmarks.
 */
export async function readPdfStructure(bytes: Uint8Array): Promise<PdfStructure> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pageOf = new Map<PDFRef, number>(doc.getPages().map((p, i) => [p.ref, i + 1]));
  const { context, catalog } = doc;

  // A destination is [pageRef /XYZ ...], or a dictionary whose /D is that array.
  const destPage = (value: PDFObject | undefined): number | null => {
    let dest = value instanceof PDFRef ? context.lookup(value) : value;
    if (dest instanceof PDFDict) dest = dest.lookup(name('D'));
    if (!(dest instanceof PDFArray) || dest.size() === 0) return null;
    const page = dest.get(0);
    return page instanceof PDFRef ? (pageOf.get(page) ?? null) : null;
  };

  const destinations = new Map<string, number>();
  const add = (key: string | null, value: PDFObject | undefined) => {
    const page = destPage(value);
    if (key !== null && page !== null) destinations.set(key, page);
  };
  // PDF 1.1 style: a /Dests dictionary in the catalog (what Skia writes) ...
  const dests = catalog.lookupMaybe(name('Dests'), PDFDict);
  for (const [key, value] of dests?.entries() ?? []) add(key.decodeText(), value);
  // ... and PDF 1.2 style: a name tree under /Names /Dests.
  const walk = (node: PDFDict | undefined, depth = 0) => {
    if (!node || depth > 32) return;
    const names = node.lookupMaybe(name('Names'), PDFArray);
    for (let i = 0; names && i + 1 < names.size(); i += 2) add(text(names.lookup(i)), names.get(i + 1));
    const kids = node.lookupMaybe(name('Kids'), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) walk(kids.lookup(i, PDFDict), depth + 1);
  };
  walk(catalog.lookupMaybe(name('Names'), PDFDict)?.lookupMaybe(name('Dests'), PDFDict));

  const outline: PdfStructure['outline'] = [];
  const visit = (first: PDFDict | undefined, depth: number) => {
    const seen = new Set<PDFDict>();
    for (let item = first; item && !seen.has(item) && depth < 16; item = item.lookupMaybe(name('Next'), PDFDict)) {
      seen.add(item);
      const action = item.lookupMaybe(name('A'), PDFDict);
      outline.push({ title: text(item.lookup(name('Title'))) ?? '', depth, page: destPage(item.get(name('Dest')) ?? action?.get(name('D'))) });
      visit(item.lookupMaybe(name('First'), PDFDict), depth + 1);
    }
  };
  visit(catalog.lookupMaybe(name('Outlines'), PDFDict)?.lookupMaybe(name('First'), PDFDict), 0);

  return { pageCount: doc.getPageCount(), destinations, outline };
}
