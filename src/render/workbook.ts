import ExcelJS from 'exceljs';
import { HEADER_STYLE, printHeaderFooter } from './xlsx';
import { setZipEntryTimes } from './zip-times';

/**
 * The layout shared by the workbooks a person works in and prints (the SSP annex, the POA&M):
 * one sheet of rows under a frozen, filtered header repeated on every printed page, the
 * protective marking in the print header and footer, value lists on the columns that take a
 * fixed set of values, an About sheet, and the same bytes for the same input.
 */

export const TOP: Partial<ExcelJS.Style> = { alignment: { vertical: 'top' } };
export const WRAPPED: Partial<ExcelJS.Style> = { alignment: { vertical: 'top', wrapText: true } };

/** Points per line of wrapped 11-point text. */
const LINE_HEIGHT = 15;
/** Characters of ordinary text a line holds per unit of column width (the width of a digit), erring low. */
const CHARS_PER_WIDTH = 1;

/**
 * The height that shows every line of a row's wrapped cells, given as text and column width.
 * Neither exceljs nor the file format sizes rows to their text, and LibreOffice and Excel's print
 * keep the default height, so wrapped text would overlap the next row; the line count is
 * estimated from the text's length.
 */
export function wrappedHeight(cells: readonly (readonly [text: string | number | null, width: number])[]): number {
  let lines = 1;
  for (const [text, width] of cells) {
    const perLine = Math.floor(width * CHARS_PER_WIDTH);
    if (typeof text === 'string') lines = Math.max(lines, text.split('\n').reduce((n, line) => n + (Math.ceil(line.length / perLine) || 1), 0));
  }
  return lines * LINE_HEIGHT;
}

/** Spreadsheet column letters of a 1-based column number (1 -> A, 27 -> AA). */
export function columnLetter(n: number): string {
  let letters = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) letters = String.fromCharCode(65 + ((i - 1) % 26)) + letters;
  return letters;
}

export interface PrintedWorkbook {
  workbook: ExcelJS.Workbook;
  headerFooter: Partial<ExcelJS.HeaderFooter>;
  timestamp: Date;
}

/** A workbook stamped with `timestamp` (the time collection completed), its pages printed with the marking. */
export function printedWorkbook(timestamp: Date, marking: string, sample: boolean): PrintedWorkbook {
  const workbook = new ExcelJS.Workbook();
  workbook.created = timestamp;
  workbook.modified = timestamp;
  workbook.creator = 'auditpack';
  workbook.lastModifiedBy = 'auditpack';
  return { workbook, headerFooter: printHeaderFooter(marking, sample), timestamp };
}

/** A sheet of rows: the header frozen and repeated on every page, landscape A4 one page wide. */
export function addRowSheet(book: PrintedWorkbook, name: string, columns: readonly { name: string; width: number }[]): ExcelJS.Worksheet {
  const sheet = book.workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    headerFooter: book.headerFooter,
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  sheet.addRow(columns.map((c) => c.name)).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  return sheet;
}

/** Filters on the header over `rows` data rows, and on each column named in `lists`, a list of the only values it accepts. */
export function finishRowSheet(sheet: ExcelJS.Worksheet, columns: readonly { name: string }[], rows: number, lists: Readonly<Record<string, readonly string[]>>): void {
  const last = rows + 1;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: last, column: columns.length } };
  // exceljs accepts a validation over a range, but its type declarations leave `dataValidations` out.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
  columns.forEach((c, i) => {
    const values = lists[c.name];
    if (!values || last < 2) return;
    const letter = columnLetter(i + 1);
    validations.add(`${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: false,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: c.name,
      error: `Choose one of: ${values.join(', ')}.`,
    });
  });
}

/** The About sheet: what the workbook was made from, one item per row. */
export function addAboutSheet(book: PrintedWorkbook, name: string, rows: readonly [string, string][]): void {
  const notes = book.workbook.addWorksheet(name, { headerFooter: book.headerFooter, pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const NOTE_WIDTH = 90;
  notes.columns = [{ width: 24 }, { width: NOTE_WIDTH }];
  notes.addRow(['Item', 'Value']).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const [item, value] of rows) {
    const row = notes.addRow([item, value]);
    row.getCell(1).style = TOP;
    row.getCell(2).style = WRAPPED;
    row.height = wrappedHeight([[value, NOTE_WIDTH]]);
  }
}

/** Writes the workbook, then stamps every zip entry with its timestamp (exceljs stamps them with the time of writing). */
export async function writePrintedWorkbook(book: PrintedWorkbook, file: string): Promise<void> {
  await book.workbook.xlsx.writeFile(file);
  await setZipEntryTimes(file, book.timestamp);
}
