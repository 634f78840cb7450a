import ExcelJS from 'exceljs';
import type { AssessmentResult, ControlAssessment, Status } from '../../assess/result';
import { ismIdentifier } from '../ism-identifier';
import { STATUS_LABELS } from '../statuses';
import { fitCellText, HEADER_STYLE } from '../xlsx';
import { setZipEntryTimes } from '../zip-times';
import { CISO_ASSISTANT_STATUS } from './statuses';
import { frameworkUrns } from './urns';

type Value = string | boolean | null;

/** One requirement's row of an audit import, whichever framework it is for. */
export interface AuditRow {
  urn: string;
  /** Null when the requirement has none: the importer then finds it by URN. */
  refId: string | null;
  /** Not imported; there for a person reading the file. */
  name: string | null;
  description: string | null;
  status: Status;
  observation: string;
}

interface AuditColumn {
  name: string;
  width: number;
  value(row: AuditRow): Value;
}

/**
 * The columns CISO Assistant's audit import reads (backend/data_wizard/views.py,
 * `_process_compliance_assessment`), by name. It finds a requirement by `ref_id` when the cell is
 * filled, else by `urn`; skips a row whose `assessable` is false or empty; takes the scores only
 * when their cells are filled, and treats a missing score column as a score given, so the three
 * score columns are written, empty (auditpack does not score).
 */
const AUDIT_COLUMNS: readonly AuditColumn[] = [
  { name: 'urn', width: 72, value: (r) => r.urn },
  { name: 'assessable', width: 11, value: () => true },
  { name: 'ref_id', width: 12, value: (r) => r.refId },
  { name: 'name', width: 30, value: (r) => r.name },
  { name: 'description', width: 30, value: (r) => r.description },
  { name: 'compliance_result', width: 18, value: (r) => CISO_ASSISTANT_STATUS[r.status].result },
  { name: 'requirement_progress', width: 20, value: (r) => CISO_ASSISTANT_STATUS[r.status].progress },
  { name: 'score', width: 7, value: () => null },
  { name: 'implementation_score', width: 7, value: () => null },
  { name: 'documentation_score', width: 7, value: () => null },
  { name: 'observations', width: 80, value: (r) => r.observation },
];

/** A person reading the file sees what it rests on; CISO Assistant stores this as the requirement's observation. */
export function controlObservation(c: ControlAssessment, result: AssessmentResult): string {
  return `auditpack status: ${STATUS_LABELS[c.status]} (SSP annex: ${c.implementation}). ${c.implementationComments} Evidence pack ${result.pack.packId}, assessed as of ${result.asOf}.`;
}

/** The rows of the import for auditpack's own ISM framework library: one per control of the baseline, in catalog order. */
function ismAuditRows(result: AssessmentResult): AuditRow[] {
  const urns = frameworkUrns(result);
  return result.controls.map((c) => ({
    urn: urns.control(c),
    refId: ismIdentifier(c),
    name: c.kind === 'principle' ? c.title : c.topic,
    description: c.statement,
    status: c.status,
    observation: controlObservation(c, result),
  }));
}

/**
 * Writes an audit import: one sheet (the importer reads the first), a header row of its column
 * names, and the rows. Workbook properties and zip entry times are the time collection
 * completed, so the same result always gives the same bytes.
 */
export async function writeAuditRows(file: string, rows: readonly AuditRow[], result: AssessmentResult): Promise<void> {
  const timestamp = new Date(result.pack.completedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.created = timestamp;
  workbook.modified = timestamp;
  workbook.creator = 'auditpack';
  workbook.lastModifiedBy = 'auditpack';
  const sheet = workbook.addWorksheet('Requirement assessments', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = AUDIT_COLUMNS.map((c) => ({ width: c.width }));
  sheet.addRow(AUDIT_COLUMNS.map((c) => c.name)).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const row of rows) {
    sheet.addRow(AUDIT_COLUMNS.map((c) => {
      const value = c.value(row);
      return typeof value === 'string' ? fitCellText(value) : value;
    }));
  }
  await workbook.xlsx.writeFile(file);
  // exceljs stamps every zip entry with the time of writing.
  await setZipEntryTimes(file, timestamp);
}

/** The import for auditpack's own ISM framework library. */
export function writeAuditImport(file: string, result: AssessmentResult): Promise<void> {
  return writeAuditRows(file, ismAuditRows(result), result);
}
