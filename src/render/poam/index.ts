import type ExcelJS from 'exceljs';
import type { AssessmentResult } from '../../assess/result';
import { DateCell, dateCell, safeCell, type Cell } from '../cells';
import { ismIdentifier } from '../ism-identifier';
import type { CsvSource } from '../csv';
import type { PackRows } from '../rows';
import { addAboutSheet, addRowSheet, finishRowSheet, printedWorkbook, TOP, wrappedHeight, WRAPPED, writePrintedWorkbook } from '../workbook';
import { DATE_STYLE, HEADER_STYLE, xlsxValue } from '../xlsx';
import { ownerText, POAM_STATUSES, poamItems, type PoamItem } from './items';
import { affectedResources, resourcesText, RESOURCES_LISTED, type AffectedResources } from './resources';
import { DEFAULT_POAM_MILESTONES, SEVERITIES, SEVERITY_TABLE, WEAKNESS_LABELS, type PoamMilestones } from './severity';

export const POAM_FILE = 'poam.xlsx';
export const POAM_CSV = 'csv/poam.csv';
export const POAM_SHEET = 'POA&M';
export const POAM_NOTES_SHEET = 'About';

/** An item with the resources its weakness affects: one row of the plan. */
export interface PoamRow {
  item: PoamItem;
  resources: AffectedResources;
}

interface PoamColumn {
  /** The workbook's header. */
  name: string;
  /** The CSV header: a stable name, as docs/csv-schema.md promises for every CSV file. */
  csv: string;
  width: number;
  wrap?: boolean;
  value(row: PoamRow): Cell;
  /** The CSV cell where it differs: lists separated by semicolons, as in every CSV file. */
  csvValue?(row: PoamRow): Cell;
}

/** The plan's columns (docs/poam.md, "Columns"), the same in the workbook and the CSV file. */
export const POAM_COLUMNS: readonly PoamColumn[] = [
  { name: 'Item', csv: 'item_id', width: 27, wrap: true, value: (r) => r.item.id },
  { name: 'Identifier', csv: 'identifier', width: 10, value: (r) => ismIdentifier(r.item.control) },
  { name: 'Guideline', csv: 'guideline', width: 16, wrap: true, value: (r) => r.item.control.guideline },
  { name: 'Section', csv: 'section', width: 16, wrap: true, value: (r) => r.item.control.section },
  { name: 'Weakness', csv: 'weakness', width: 12, wrap: true, value: (r) => WEAKNESS_LABELS[r.item.kind] },
  { name: 'Description', csv: 'description', width: 46, wrap: true, value: (r) => r.item.description },
  { name: 'Resources', csv: 'resources_affected', width: 10, value: (r) => r.resources.count },
  {
    name: 'Resources affected',
    csv: 'resources',
    width: 34,
    wrap: true,
    value: (r) => resourcesText(r.resources),
    csvValue: (r) => resourcesText(r.resources)?.replaceAll('\n', '; ') ?? null,
  },
  { name: 'Severity', csv: 'severity', width: 9, value: (r) => r.item.severity },
  { name: 'Owner', csv: 'owner', width: 18, wrap: true, value: (r) => ownerText(r.item.control.owner) },
  { name: 'Owner email', csv: 'owner_email', width: 18, wrap: true, value: (r) => r.item.control.owner?.email ?? null },
  { name: 'Status', csv: 'status', width: 13, value: (r) => r.item.status },
  { name: 'Planned completion', csv: 'planned_completion', width: 11, wrap: true, value: (r) => dateCell(r.item.due) },
  { name: 'Risk acceptance', csv: 'risk_acceptance_id', width: 12, wrap: true, value: (r) => r.item.acceptance?.id ?? null },
  { name: 'Approved by', csv: 'risk_acceptance_approver', width: 18, wrap: true, value: (r) => r.item.acceptance?.approvedBy ?? null },
  { name: 'Acceptance expires', csv: 'risk_acceptance_expires', width: 11, wrap: true, value: (r) => dateCell(r.item.acceptance?.expiresOn) },
];

/** The columns a person picks from a list, and the list. */
const VALUE_LISTS: Record<string, readonly string[]> = { Status: POAM_STATUSES, Severity: SEVERITIES };

export interface PoamOptions {
  marking: string;
  system: string | null;
  milestones: PoamMilestones;
}

/** The plan's rows, the resources counted over the pack when it is there. */
export async function poamRows(result: AssessmentResult, rows: PackRows, milestones: PoamMilestones = DEFAULT_POAM_MILESTONES): Promise<PoamRow[]> {
  const items = poamItems(result, milestones);
  const affected = await affectedResources(result, items.map((i) => i.control), rows);
  return items.map((item) => ({ item, resources: affected.get(item.control.id)! }));
}

/** The CSV file: the same rows and columns as the workbook. */
export function poamCsv(rows: readonly PoamRow[]): CsvSource {
  return {
    columns: POAM_COLUMNS.map((c) => ({ name: c.csv })),
    async *rows() {
      for (const row of rows) yield POAM_COLUMNS.map((c) => (c.csvValue ?? c.value)(row));
    },
  };
}

const DATE_TOP: Partial<ExcelJS.Style> = { ...DATE_STYLE, ...TOP };
const HEADER_WRAPPED: Partial<ExcelJS.Style> = { ...HEADER_STYLE, alignment: { vertical: 'top', wrapText: true } };
/** The height of one line of 11-point text, in points. */
const LINE = 15;

/**
 * Writes the POA&M workbook: one row per item, the Status and Severity columns restricted to
 * their lists (the people working the plan change them), and an About sheet with the rules that
 * made it. Same result, same bytes: properties and zip times are the time collection completed.
 */
export async function writePoam(file: string, result: AssessmentResult, rows: readonly PoamRow[], options: PoamOptions): Promise<void> {
  const book = printedWorkbook(new Date(result.pack.completedAt), options.marking, result.pack.sample);
  const sheet = addRowSheet(book, POAM_SHEET, POAM_COLUMNS);
  // Several headers are longer than their column is wide: wrapped on two lines rather than cut.
  const header = sheet.getRow(1);
  header.eachCell((cell) => {
    cell.style = HEADER_WRAPPED;
  });
  header.height = 2 * LINE;
  for (const data of rows) {
    const cells = POAM_COLUMNS.map((c) => safeCell(c.value(data)));
    const row = sheet.addRow(cells.map(xlsxValue));
    POAM_COLUMNS.forEach((c, i) => {
      row.getCell(i + 1).style = cells[i] instanceof DateCell ? DATE_TOP : c.wrap ? WRAPPED : TOP;
    });
    row.height = wrappedHeight(POAM_COLUMNS.flatMap((c, i) => (c.wrap && typeof cells[i] === 'string' ? [[cells[i] as string, c.width] as const] : [])));
  }
  finishRowSheet(sheet, POAM_COLUMNS, rows.length, VALUE_LISTS);
  addAboutSheet(book, POAM_NOTES_SHEET, aboutRows(result, rows, options));
  await writePrintedWorkbook(book, file);
}

const days = (milestones: PoamMilestones) => SEVERITIES.map((s) => `${s} ${milestones[s]} days`).join(', ');

function aboutRows(result: AssessmentResult, rows: readonly PoamRow[], options: PoamOptions): [string, string][] {
  const severityRule = Object.entries(SEVERITY_TABLE)
    .map(([kind, tiers]) => `${WEAKNESS_LABELS[kind as keyof typeof WEAKNESS_LABELS]}: ${tiers['essential-eight']} for an Essential Eight control, else ${tiers.other}`)
    .join('; ');
  const about: [string, string][] = [
    ['System', options.system ?? result.system?.name ?? 'not named (--system)'],
    ['Baseline', result.baseline],
    ['Items', String(rows.length)],
    ['Evidence pack', result.pack.packId],
    ['Assessed as of', result.asOf],
    ['Protective marking', options.marking],
    ['Items are', 'One per control showing a weakness: non-compliant, attestation expired, no visibility (the evidence cannot show it implemented), or a risk accepted in place of fixing it. Controls not yet assessed are not items: they are evidence to gather.'],
    ['Item', 'POAM-<control id>-<weakness>: the same in every assessment that finds the same weakness in the same control, whatever the evidence pack, so the plan can be followed from quarter to quarter.'],
    ['Severity', `${severityRule}.`],
    ['Planned completion', `The as-of date plus ${days(options.milestones)} (--poam-milestones); for an accepted risk, the day its acceptance expires.`],
    ['Resources', `The distinct resources the weakness affects, the first ${RESOURCES_LISTED} in sorted order. ${rows.some((r) => !r.resources.complete) ? 'The evidence pack was not available: only the resources the assessment result names are counted, and each such cell says so.' : 'Counted over every evaluation in the evidence pack.'}`],
    ['Owner', 'From the system file (auditpack.yaml); Unassigned where no owner covers the control.'],
    ['Status', `Open or Risk accepted as assessed; one of ${POAM_STATUSES.join(', ')}.`],
  ];
  if (result.pack.sample) about.unshift(['Sample data', 'Made from the built-in sample pack: not an assessment of a real system.']);
  return about;
}
