/** A spreadsheet or CSV cell: text, a number, or empty. */
export type Cell = string | number | null;

// Spreadsheet programs evaluate text that starts with these as a formula, so evidence text such as
// a resource id or annotation could otherwise run a formula on the auditor's machine.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Makes a cell safe to open in Excel, LibreOffice or Sheets; every XLSX and CSV cell passes through it. */
export function safeCell(value: Cell): Cell {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
