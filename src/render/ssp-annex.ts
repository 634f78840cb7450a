import { ANNEX_RESPONSIBILITIES, IMPLEMENTATION_STATUSES } from '../assess/annex';
import type { AssessmentResult, ControlAssessment } from '../assess/result';
import { ismIdentifier } from './ism-identifier';
import { addAboutSheet, addRowSheet, finishRowSheet, printedWorkbook, TOP, wrappedHeight, WRAPPED, writePrintedWorkbook } from './workbook';
import { fitCellText } from './xlsx';

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

/** The Description column's width when the catalog holds no statement text: wide enough for its header. */
const EMPTY_DESCRIPTION_WIDTH = 13;

const controlRowHeight = (control: ControlAssessment): number => wrappedHeight(SSP_ANNEX_COLUMNS.filter((c) => c.wrap).map((c) => [c.value(control), c.width]));

export interface SspAnnexOptions {
  marking: string;
  system: string | null;
}

/**
 * Writes the SSP annex: one row per control of the baseline in catalog order, the two value
 * columns restricted to the annex's own lists (so a person editing the workbook cannot type a
 * value the template does not know), and an About sheet saying what the workbook was made from.
 * Workbook properties and zip entry times are the time collection completed, so the same result
 * always gives the same bytes.
 */
export async function writeSspAnnex(file: string, result: AssessmentResult, options: SspAnnexOptions): Promise<void> {
  const book = printedWorkbook(new Date(result.pack.completedAt), options.marking, result.pack.sample);
  // Without statement text the Description column stays empty, and its full width would only shrink the printed page.
  const columns = SSP_ANNEX_COLUMNS.map((c) => ({ name: c.name, width: c.name === 'Description' && !result.catalog.statementsLoaded ? EMPTY_DESCRIPTION_WIDTH : c.width }));
  const sheet = addRowSheet(book, SSP_ANNEX_SHEET, columns);
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
  finishRowSheet(sheet, SSP_ANNEX_COLUMNS, result.controls.length, VALUE_LISTS);
  addAboutSheet(book, SSP_ANNEX_NOTES_SHEET, aboutRows(result, options));
  await writePrintedWorkbook(book, file);
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
    ['Implementation', `Decided by auditpack from the assessment status (docs/assessment-result.md, "SSP annex"), or for an attested control the value its attestation states (Alternate control, Common control); one of ${IMPLEMENTATION_STATUSES.join(', ')}.`],
    ['Implementation comments', 'Written from the evidence: what was checked, how much, which failures, who attested and when.'],
  ];
  if (result.pack.sample) rows.unshift(['Sample data', 'Made from the built-in sample pack: not an assessment of a real system.']);
  return rows;
}
