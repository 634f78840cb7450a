import ExcelJS from 'exceljs';
import { ANNEX_RESPONSIBILITIES, IMPLEMENTATION_STATUSES } from '../assess/annex';
import type { AssessmentResult, ControlAssessment } from '../assess/result';
import { ismIdentifier } from './ism-identifier';
import { fitCellText, HEADER_STYLE, printHeaderFooter } from './xlsx';
import { setZipEntryTimes } from './zip-times';

export const SSP_ANNEX_FILE = 'ssp-annex.xlsx';
export const SSP_ANNEX_SHEET = 'SSP annex';
export const SSP_ANNEX_NOTES_SHEET = 'About';

interface AnnexColumn {
  name: string;
  width: number;
  /** Long text: wrapped in its cell. */
  wrap?: boolean;
  value(c: ControlAssessment): string | number | null;
}

/** A list as one cell; none leaves the cell empty rather than holding an empty string. */
const list = (values: readonly string[]): string | null => (values.length ? values.join(', ') : null);

/**
 * The columns of ASD's SSP annex template, in the template's order (docs/ssp-annex.md), so the
 * workbook can be pasted into or compared with an agency's own copy of the template.
 */
export const SSP_ANNEX_COLUMNS: readonly AnnexColumn[] = [
  { name: 'Guideline', width: 24, wrap: true, value: (c) => c.guideline },
  { name: 'Section', width: 24, wrap: true, value: (c) => c.section },
  { name: 'Topic', width: 24, wrap: true, value: (c) => c.topic },
  { name: 'Identifier', width: 12, value: ismIdentifier },
  { name: 'Revision', width: 9, value: (c) => c.revision },
  { name: 'Updated', width: 10, value: (c) => c.updated },
  { name: 'Applicability', width: 16, value: (c) => list(c.applicability) },
  { name: 'Essential Eight', width: 15, value: (c) => list(c.essentialEight) },
  { name: 'Description', width: 60, wrap: true, value: (c) => c.statement },
  { name: 'Responsibility', width: 18, value: (c) => c.annexResponsibility },
  { name: 'Implementation', width: 18, value: (c) => c.implementation },
  { name: 'Implementation comments', width: 64, wrap: true, value: (c) => c.implementationComments },
];

/** The columns whose cells a person picks from a list, and the list. */
const VALUE_LISTS: Record<string, readonly string[]> = {
  Responsibility: ANNEX_RESPONSIBILITIES,
  Implementation: IMPLEMENTATION_STATUSES,
};

const TOP: Partial<ExcelJS.Style> = { alignment: { vertical: 'top' } };
const WRAPPED: Partial<ExcelJS.Style> = { alignment: { vertical: 'top', wrapText: true } };

/** Points per line of wrapped 11-point text. */
const LINE_HEIGHT = 15;
/** Characters of ordinary text a line holds per unit of column width (the width of a digit), erring low. */
const CHARS_PER_WIDTH = 1;
/** The Description column's width when the catalog holds no statement text: wide enough for its header. */
const EMPTY_DESCRIPTION_WIDTH = 13;

/**
 * The height that shows every line of a row's wrapped cells, given as text and column width.
 * Neither exceljs nor the file format sizes rows to their text, and LibreOffice and Excel's print
 * keep the default height, so wrapped text would overlap the next row; the line count is
 * estimated from the text's length.
 */
function wrappedHeight(cells: readonly (readonly [text: string | number | null, width: number])[]): number {
  let lines = 1;
  for (const [text, width] of cells) {
    const perLine = Math.floor(width * CHARS_PER_WIDTH);
    if (typeof text === 'string') lines = Math.max(lines, text.split('\n').reduce((n, line) => n + (Math.ceil(line.length / perLine) || 1), 0));
  }
  return lines * LINE_HEIGHT;
}

const controlRowHeight = (control: ControlAssessment): number => wrappedHeight(SSP_ANNEX_COLUMNS.filter((c) => c.wrap).map((c) => [c.value(control), c.width]));

export interface SspAnnexOptions {
  marking: string;
  system: string | null;
}

/** Spreadsheet column letters of a 1-based column number (1 -> A, 27 -> AA). */
function columnLetter(n: number): string {
  let letters = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) letters = String.fromCharCode(65 + ((i - 1) % 26)) + letters;
  return letters;
}

/**
 * Writes the SSP annex: one row per control of the baseline in catalog order, the two value
 * columns restricted to the annex's own lists (so a person editing the workbook cannot type a
 * value the template does not know), and an About sheet saying what the workbook was made from.
 * Workbook properties and zip entry times are the time collection completed, so the same result
 * always gives the same bytes.
 */
export async function writeSspAnnex(file: string, result: AssessmentResult, options: SspAnnexOptions): Promise<void> {
  const timestamp = new Date(result.pack.completedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.created = timestamp;
  workbook.modified = timestamp;
  workbook.creator = 'auditpack';
  workbook.lastModifiedBy = 'auditpack';
  const headerFooter = printHeaderFooter(options.marking, result.pack.sample);

  const sheet = workbook.addWorksheet(SSP_ANNEX_SHEET, {
    views: [{ state: 'frozen', ySplit: 1 }],
    headerFooter,
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  // Without statement text the Description column stays empty, and its full width would only shrink the printed page.
  sheet.columns = SSP_ANNEX_COLUMNS.map((c) => ({ width: c.name === 'Description' && !result.catalog.statementsLoaded ? EMPTY_DESCRIPTION_WIDTH : c.width }));
  sheet.addRow(SSP_ANNEX_COLUMNS.map((c) => c.name)).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const control of result.controls) {
    const row = sheet.addRow(SSP_ANNEX_COLUMNS.map((c) => {
      const value = c.value(control);
      return typeof value === 'string' ? fitCellText(value) : value;
    }));
    SSP_ANNEX_COLUMNS.forEach((c, i) => {
      row.getCell(i + 1).style = c.wrap ? WRAPPED : TOP;
    });
    row.height = controlRowHeight(control);
  }
  const last = result.controls.length + 1;
  // exceljs accepts a validation over a range, but its type declarations leave `dataValidations` out.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: last, column: SSP_ANNEX_COLUMNS.length } };
  SSP_ANNEX_COLUMNS.forEach((c, i) => {
    const values = VALUE_LISTS[c.name];
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

  const notes = workbook.addWorksheet(SSP_ANNEX_NOTES_SHEET, { headerFooter, pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const NOTE_WIDTH = 90;
  notes.columns = [{ width: 24 }, { width: NOTE_WIDTH }];
  notes.addRow(['Item', 'Value']).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const [item, value] of aboutRows(result, options)) {
    const row = notes.addRow([item, value]);
    row.getCell(1).style = TOP;
    row.getCell(2).style = WRAPPED;
    row.height = wrappedHeight([[value, NOTE_WIDTH]]);
  }

  await workbook.xlsx.writeFile(file);
  // exceljs stamps every zip entry with the time of writing.
  await setZipEntryTimes(file, timestamp);
}

function aboutRows(result: AssessmentResult, options: SspAnnexOptions): [string, string][] {
  const rows: [string, string][] = [
    ['System', options.system ?? 'not named (--system)'],
    ['Baseline', result.baseline],
    ['Controls', String(result.controls.length)],
    ['ISM catalog', `${result.catalog.version} (${result.catalog.source})`],
    ['Evidence pack', result.pack.packId],
    ['Assessed as of', result.asOf],
    ['Protective marking', options.marking],
    [
      'Description',
      result.catalog.statementsLoaded
        ? 'The statement text of each control, from the official catalog loaded.'
        : 'Left empty: the catalog used (the built-in facts index) holds no statement text. Give an official ISM OSCAL catalog (--catalog, or "auditpack catalog import" once) to fill it.',
    ],
    ['Responsibility', `Who implements the control for the system: ${ANNEX_RESPONSIBILITIES.join(', ')}.`],
    ['Implementation', `Decided by auditpack from the assessment status (docs/assessment-result.md, "SSP annex"); one of ${IMPLEMENTATION_STATUSES.join(', ')}.`],
    ['Implementation comments', 'Written from the evidence: what was checked, how much, which failures, who attested and when.'],
  ];
  if (result.pack.sample) rows.unshift(['Sample data', 'Made from the built-in sample pack: not an assessment of a real system.']);
  return rows;
}
