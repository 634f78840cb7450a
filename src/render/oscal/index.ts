import type { AssessmentResult } from '../../assess/result';
import { assessmentResults, controlExports } from './assessment-results';
import type { ExportOptions } from './metadata';
import { planOfActionAndMilestones } from './poam';
import { assertValidOscal } from './validate';

export const OSCAL_ASSESSMENT_RESULTS = 'oscal/assessment-results.json';
export const OSCAL_POAM = 'oscal/poam.json';

/** A file of the export: its path in the report folder and its exact text. */
export interface OscalFile {
  path: string;
  text: string;
}

/** Key order is fixed by the builders, so the same result always serialises to the same bytes. */
const serialise = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

/**
 * The OSCAL export of an assessment result (docs/oscal.md): the assessment results, and the
 * POA&M when any control carries a risk. Both are validated before either is returned, so a
 * failure writes nothing.
 */
/** The files `oscalExport` writes for this result. */
export function oscalPaths(result: AssessmentResult): string[] {
  return [OSCAL_ASSESSMENT_RESULTS, ...(controlExports(result).some((c) => c.risk) ? [OSCAL_POAM] : [])];
}

export function oscalExport(result: AssessmentResult, options: ExportOptions): OscalFile[] {
  const controls = controlExports(result);
  const ar = assessmentResults(result, options, controls);
  assertValidOscal('assessment-results', OSCAL_ASSESSMENT_RESULTS, ar);
  const files = [{ path: OSCAL_ASSESSMENT_RESULTS, text: serialise(ar) }];
  const poam = planOfActionAndMilestones(result, options, controls);
  if (poam) {
    assertValidOscal('poam', OSCAL_POAM, poam);
    files.push({ path: OSCAL_POAM, text: serialise(poam) });
  }
  return files;
}
