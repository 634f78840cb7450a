import ExcelJS from 'exceljs';
import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { ismIdentifier } from '../ism-identifier';
import { STATUS_LABELS } from '../statuses';
import { fitCellText, HEADER_STYLE } from '../xlsx';
import { setZipEntryTimes } from '../zip-times';
import { CISO_ASSISTANT_STATUS } from './statuses';
import { frameworkUrns } from './urns';

type Value = string | boolean | null;

interface AuditColumn {
  name: string;
  width: number;
  value(c: ControlAssessment, result: AssessmentResult): Value;
}

/** A person reading the file sees what it rests on; CISO Assistant stores this as the requirement's observation. */
function observation(c: ControlAssessment, result: AssessmentResult): string {
  return `auditpack status: ${STATUS_LABELS[c.status]} (SSP annex: ${c.implementation}). ${c.implementationComments} Evidence pack ${result.pack.packId}, assessed as of ${result.asOf}.`;
}

/**
 * The columns CISO Assistant's audit import reads (backend/data_wizard/views.py,
 * `_process_compliance_assessment`), by name. It finds a requirement by `ref_id`, else by `urn`;
 * skips a row whose `assessable` is false or empty; takes the scores only when their cells are
 * filled, and treats a missing score column as a score given, so the three score columns are
 * written, empty (auditpack does not score).
 */
export function auditColumns(result: AssessmentResult): AuditColumn[] {
  const urns = frameworkUrns(result);
  return [
    { name: 'urn', width: 72, value: (c) => urns.control(c) },
    { name: 'assessable', width: 11, value: () => true },
    { name: 'ref_id', width: 12, value: ismIdentifier },
    { name: 'name', width: 30, value: (c) => (c.kind === 'principle' ? c.title : c.topic) },
    { name: 'description', width: 30, value: (c) => c.statement },
    { name: 'compliance_result', width: 18, value: (c) => CISO_ASSISTANT_STATUS[c.status].result },
    { name: 'requirement_progress', width: 20, value: (c) => CISO_ASSISTANT_STATUS[c.status].progress },
    { name: 'score', width: 7, value: () => null },
    { name: 'implementation_score', width: 7, value: () => null },
    { name: 'documentation_score', width: 7, value: () => null },
    { name: 'observations', width: 80, value: observation },
  ];
}

/**
 * Writes the audit import: one sheet (the importer reads the first), a header row of its column
 * names, and one row per control of the baseline. Workbook properties and zip entry times are the
 * time collection completed, so the same result always gives the same bytes.
 */
export async function writeAuditImport(file: string, result: AssessmentResult): Promise<void> {
  const timestamp = new Date(result.pack.completedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.created = timestamp;
  workbook.modified = timestamp;
  workbook.creator = 'auditpack';
  workbook.lastModifiedBy = 'auditpack';
  const columns = auditColumns(result);
  const sheet = workbook.addWorksheet('Requirement assessments', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  sheet.addRow(columns.map((c) => c.name)).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const control of result.controls) {
    sheet.addRow(columns.map((c) => {
      const value = c.value(control, result);
      return typeof value === 'string' ? fitCellText(value) : value;
    }));
  }
  await workbook.xlsx.writeFile(file);
  // exceljs stamps every zip entry with the time of writing.
  await setZipEntryTimes(file, timestamp);
}
