/** The writers the evidence-rows stage times on the report's Evidence rows (see stages/evidence-rows.ts). */
export const EVIDENCE_WRITERS = ['csv-stringify', 'exceljs', 'exceljs-unstyled', 'auditpack-csv', 'auditpack-xlsx'] as const;
export type EvidenceWriter = (typeof EVIDENCE_WRITERS)[number];
