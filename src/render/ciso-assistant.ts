import type { AssessmentResult, ControlAssessment, Status } from '../assess/result';
import type { Cell } from './cells';
import type { CsvSource } from './csv';
import { STATUS_LABELS } from './statuses';

/** The CSV profiles `--csv-profile` adds to the standard files. */
export const CSV_PROFILES = ['ciso-assistant'] as const;
export type CsvProfile = (typeof CSV_PROFILES)[number];

/** Where the CISO Assistant file goes in the report folder. */
export const CISO_ASSISTANT_CSV = 'csv/ciso-assistant-requirement-assessments.csv';

type ComplianceResult = 'compliant' | 'non_compliant' | 'partially_compliant' | 'not_applicable' | 'not_assessed';
type RequirementProgress = 'to_do' | 'in_progress' | 'in_review' | 'done';

/**
 * Our statuses in CISO Assistant's terms (its "Audits" import: `compliance_result` and
 * `requirement_progress`). The mapping never claims more than the evidence shows: a control is
 * `compliant` only with evidence that it is met, a risk acceptance does not make a control met,
 * and missing or incomplete evidence is `not_assessed`. docs/csv-schema.md explains each row.
 */
export const CISO_ASSISTANT_MAPPING: Record<Status, { result: ComplianceResult; progress: RequirementProgress }> = {
  'non-compliant': { result: 'non_compliant', progress: 'done' },
  'insufficient-evidence': { result: 'not_assessed', progress: 'in_progress' },
  'attestation-expired': { result: 'not_assessed', progress: 'in_progress' },
  'inherited-evidence-missing': { result: 'not_assessed', progress: 'in_progress' },
  'not-assessed': { result: 'not_assessed', progress: 'to_do' },
  'risk-accepted': { result: 'non_compliant', progress: 'done' },
  attested: { result: 'compliant', progress: 'done' },
  'inherited-evidenced': { result: 'compliant', progress: 'done' },
  compliant: { result: 'compliant', progress: 'done' },
  'not-applicable': { result: 'not_applicable', progress: 'done' },
};

/**
 * The requirement's reference as the ISM prints it (`ISM-1234`; principles by their label,
 * `GOV-01`), which is how ISM frameworks in CISO Assistant name their requirements.
 */
export function cisoRefId(c: ControlAssessment): string {
  return c.kind === 'principle' && c.label ? c.label.toUpperCase() : c.id.toUpperCase();
}

function observations(c: ControlAssessment, result: AssessmentResult): string {
  const e = c.evidence;
  const refs = [
    e.exceptions.length ? `Risk acceptances: ${e.exceptions.map((x) => `${x.id} (owner ${x.owner}, expires ${x.expiresOn}${x.expired ? ', expired' : ''})`).join('; ')}.` : '',
    e.attestations.length ? `Attestations: ${e.attestations.map((a) => `${a.id} (valid until ${a.validUntil}${a.expired ? ', expired' : ''})`).join('; ')}.` : '',
    e.reports.length ? `AWS Artifact reports: ${e.reports.map((r) => r.name).join('; ')}.` : '',
    e.findingsTotal ? `${e.findingsTotal} distinct non-compliant results; every evaluation behind them is listed in the auditpack report (csv/evidence.csv).` : '',
  ].filter(Boolean);
  return [
    `auditpack status: ${STATUS_LABELS[c.status]} (SSP annex: ${c.implementation}). ${c.rationale}`,
    ...refs,
    `Evidence pack ${result.pack.packId} (manifest SHA-256 ${result.pack.manifestSha256}), assessed as of ${result.asOf} against ISM ${result.catalog.version} ${result.baseline}.`,
  ].join(' ');
}

/**
 * One row per control and principle with the columns of CISO Assistant's compliance assessment
 * import. The wizard matches a row by `ref_id` (then `urn`, which depends on the framework
 * library loaded there, so it is left empty) and skips rows whose `assessable` is false.
 */
export function cisoAssistantTable(result: AssessmentResult): CsvSource {
  const columns: { name: string; value: (c: ControlAssessment) => Cell }[] = [
    { name: 'urn', value: () => null },
    { name: 'assessable', value: () => 'True' },
    { name: 'ref_id', value: cisoRefId },
    { name: 'name', value: (c) => (c.kind === 'principle' ? c.title : c.topic) },
    { name: 'description', value: (c) => c.statement },
    { name: 'compliance_result', value: (c) => CISO_ASSISTANT_MAPPING[c.status].result },
    { name: 'requirement_progress', value: (c) => CISO_ASSISTANT_MAPPING[c.status].progress },
    { name: 'score', value: () => null },
    { name: 'observations', value: (c) => observations(c, result) },
  ];
  return {
    columns,
    async *rows() {
      for (const c of result.controls) yield columns.map((col) => col.value(c));
    },
  };
}
