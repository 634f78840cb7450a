/**
 * A date or a timestamp in a table. CSV writes the ISO 8601 text as the evidence recorded it;
 * XLSX writes a real Excel date (UTC) with a date or date-time number format, so spreadsheets
 * sort and filter it as a date rather than as text.
 */
export class DateCell {
  private constructor(
    /** The value as it appears in the pack: `YYYY-MM-DD` or an ISO 8601 timestamp with a zone. */
    readonly iso: string,
    readonly kind: 'date' | 'datetime',
  ) {}

  static date(iso: string): DateCell {
    return new DateCell(iso, 'date');
  }

  static datetime(iso: string): DateCell {
    return new DateCell(iso, 'datetime');
  }

  /** The instant in UTC (a date alone is midnight UTC, so Excel shows the same calendar day everywhere). */
  toDate(): Date {
    return new Date(this.kind === 'date' ? `${this.iso}T00:00:00Z` : this.iso);
  }
}

/** A spreadsheet or CSV cell: text, a number, a boolean, a date, or empty. */
export type Cell = string | number | boolean | DateCell | null;

/** A date cell from an optional value: empty stays empty. */
export const dateCell = (iso: string | null | undefined): Cell => (iso ? DateCell.date(iso) : null);
export const datetimeCell = (iso: string | null | undefined): Cell => (iso ? DateCell.datetime(iso) : null);

// Spreadsheet programs evaluate text that starts with these as a formula, so evidence text such as
// a resource id or annotation could otherwise run a formula on the auditor's machine. Some skip
// leading whitespace (space, line feed, vertical tab, form feed) or NUL before the formula sign,
// so those prefixes are caught too; a leading tab, CR or NUL is neutralised on its own (OWASP, ASVS).
const FORMULA_START = /^[\t\r\0]|^[\s\0]*[=+\-@]/;

/** Makes a cell safe to open in Excel, LibreOffice or Sheets; every XLSX and CSV cell passes through it. */
export function safeCell(value: Cell): Cell {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** The text a CSV file holds for a cell (after `safeCell`). */
export function csvText(value: Cell): string {
  if (value === null) return '';
  if (value instanceof DateCell) return value.iso;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
