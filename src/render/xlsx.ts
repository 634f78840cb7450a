import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { STATUSES, type Status } from '../assess/result';
import { ComplianceType } from '../evidence/records';
import { DateCell, safeCell, type Cell } from './cells';
import { STATUS_COLOURS } from './statuses';
import type { ColumnDef, Table } from './tables';
import { setZipEntryTimes } from './zip-times';

/** Excel's sheet size, header row included. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel refuses sheet names longer than this. */
const SHEET_NAME_MAX = 31;

export interface XlsxOptions {
  marking: string;
  sample: boolean;
  /**
   * The instant stamped into the workbook's properties and every zip entry, so the same input
   * gives the same bytes; the report uses the time evidence collection completed.
   */
  timestamp: Date;
  /** Rows per sheet before a table continues on a new sheet; only tests lower it. */
  maxRows?: number;
}

/** Excel's limit on the text of one cell, in UTF-16 code units; longer text makes Excel call the workbook corrupt. */
export const EXCEL_MAX_CELL_TEXT = 32_767;

/**
 * Text cut to fit one Excel cell, ending with a marker that says so: the CSV file keeps the whole
 * text (documented in docs/csv-schema.md). A cut never splits a surrogate pair.
 */
export function fitCellText(text: string): string {
  if (text.length <= EXCEL_MAX_CELL_TEXT) return text;
  const marker = `… [cut to fit Excel: ${text.length.toLocaleString('en-AU')} characters in all; the CSV file has the full text]`;
  let end = EXCEL_MAX_CELL_TEXT - marker.length;
  if (/[\uD800-\uDBFF]/.test(text[end - 1])) end--;
  return `${text.slice(0, end)}${marker}`;
}

export const xlsxValue = (value: Cell): ExcelJS.CellValue => (value instanceof DateCell ? value.toDate() : typeof value === 'string' ? fitCellText(value) : value);

/** Text for an Excel print header or footer, where `&` starts a control code. */
const headerText = (text: string): string => text.replaceAll('&', '&&');

/** The marking at the top and bottom of every printed page, as in the PDF; sample data says so on the left. */
export function printHeaderFooter(marking: string, sample: boolean): Partial<ExcelJS.HeaderFooter> {
  const left = sample ? '&L&"-,Bold"SAMPLE DATA' : '';
  const centre = `&C&"-,Bold"${headerText(marking)}`;
  return { oddHeader: `${left}${centre}`, oddFooter: `${left}${centre}&RPage &P of &N` };
}

const argb = (hex: string): string => `FF${hex.replace('#', '').toUpperCase()}`;

const solid = (hex: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb: argb(hex) } });

// Styles are shared objects: exceljs recognises a style object it has seen before without
// serialising it again, which keeps million-row sheets fast.
export const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: solid('#E6EAEE'),
  border: { bottom: { style: 'thin', color: { argb: argb('#8C959F') } } },
  alignment: { vertical: 'top' },
};
export const DATE_STYLE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd' };
const DATETIME_STYLE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm:ss' };

/** The fill of each status, as in the PDF's badges. */
export const STATUS_STYLES: Record<Status, Partial<ExcelJS.Style>> = Object.fromEntries(
  STATUSES.map((s) => [s, { fill: solid(STATUS_COLOURS[s].fill), font: { color: { argb: argb(STATUS_COLOURS[s].text) } } }]),
) as Record<Status, Partial<ExcelJS.Style>>;

/** AWS Config's own compliance types, coloured like the statuses they lead to. */
const COMPLIANCE_STYLES: Record<ComplianceType, Partial<ExcelJS.Style>> = {
  NON_COMPLIANT: STATUS_STYLES['non-compliant'],
  INSUFFICIENT_DATA: STATUS_STYLES['insufficient-evidence'],
  NOT_APPLICABLE: STATUS_STYLES['not-applicable'],
  COMPLIANT: STATUS_STYLES.compliant,
};

function fillStyle(column: ColumnDef, value: Cell): Partial<ExcelJS.Style> | null {
  if (typeof value !== 'string') return null;
  if (column.fill === 'status' && Object.hasOwn(STATUS_STYLES, value)) return STATUS_STYLES[value as Status];
  if (column.fill === 'compliance' && Object.hasOwn(COMPLIANCE_STYLES, value)) return COMPLIANCE_STYLES[value as ComplianceType];
  return null;
}

/** Rows written between waits for the zip to catch up. */
const ROWS_PER_DRAIN = 1000;

/**
 * Waits until the zip has consumed what the sheet has written so far. exceljs's sheet stream never
 * pushes back, so without this a million-row sheet would pile up in memory while it is compressed;
 * archiver reads each sheet through a PassThrough (an exceljs internal), whose drain event we wait for.
 */
async function drained(sheet: ExcelJS.Worksheet): Promise<void> {
  const pipe = (sheet as unknown as { stream?: { pipes?: BufferedWritable[] } }).stream?.pipes?.[0];
  // archiver's PassThrough comes from readable-stream 2, which predates `writableNeedDrain`.
  if (pipe?._writableState?.needDrain ?? pipe?.writableNeedDrain) await once(pipe as Writable, 'drain');
}

type BufferedWritable = Partial<Writable> & { _writableState?: { needDrain?: boolean } };

/** Sheet names: unique, within Excel's length limit, and a continuation numbered "(2)", "(3)", ... */
function sheetName(base: string, part: number): string {
  const suffix = part === 1 ? '' : ` (${part})`;
  return `${base.slice(0, SHEET_NAME_MAX - suffix.length)}${suffix}`;
}

/**
 * Writes every table as a sheet with the streaming writer, committing each row as it is added so
 * memory stays flat however many evaluations the pack holds. A table longer than Excel allows
 * continues on "<name> (2)", "<name> (3)", ... instead of being cut short; text longer than a cell
 * holds is cut with a marker. Dates are real Excel
 * dates (UTC); status cells carry their status colour. Workbook properties and zip entry times are
 * fixed to `options.timestamp`, so the same input always gives byte-identical output.
 */
export async function writeXlsx(file: string, tables: readonly Table[], options: XlsxOptions): Promise<void> {
  // exceljs listens for errors of its output only once the workbook is committed, and a sheet
  // waits for a zip that stopped with the output: a failed write (a full disk) would hang or
  // crash the render. Watched from the start, it fails the render instead.
  const output = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => output.once('error', reject));
  await Promise.race([writeWorkbook(output, tables, options), failed]);
  await setZipEntryTimes(file, options.timestamp);
}

async function writeWorkbook(output: Writable, tables: readonly Table[], options: XlsxOptions): Promise<void> {
  const maxRows = options.maxRows ?? EXCEL_MAX_ROWS;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  // docProps/core.xml records these when the workbook is committed; exceljs defaults them to now.
  workbook.created = options.timestamp;
  workbook.modified = options.timestamp;
  workbook.creator = 'auditpack';
  workbook.lastModifiedBy = 'auditpack';
  const headerFooter = printHeaderFooter(options.marking, options.sample);

  for (const table of tables) {
    let part = 1;
    let rows = 0;
    const open = (): ExcelJS.Worksheet => {
      const sheet = workbook.addWorksheet(sheetName(table.sheet, part), {
        views: [{ state: 'frozen', ySplit: 1 }],
        headerFooter,
        pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
      });
      sheet.columns = table.columns.map((c) => ({ width: c.width }));
      const header = sheet.addRow(table.columns.map((c) => c.name));
      header.eachCell((cell) => {
        cell.style = HEADER_STYLE;
      });
      header.commit();
      rows = 1;
      return sheet;
    };
    const close = (sheet: ExcelJS.Worksheet): void => {
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows, column: table.columns.length } };
      sheet.commit();
    };

    let sheet = open();
    for await (const values of table.rows()) {
      if (rows === maxRows) {
        close(sheet);
        part++;
        sheet = open();
      }
      const safe = values.map(safeCell);
      const row = sheet.addRow(safe.map(xlsxValue));
      safe.forEach((value, i) => {
        const style = value instanceof DateCell ? (value.kind === 'date' ? DATE_STYLE : DATETIME_STYLE) : fillStyle(table.columns[i], value);
        if (style) row.getCell(i + 1).style = style;
      });
      row.commit();
      rows++;
      if (rows % ROWS_PER_DRAIN === 0) await drained(sheet);
    }
    close(sheet);
  }
  await workbook.commit();
}
