import type { AssessmentResult } from '../assess/result';

/**
 * The organisation a report is for: the agency the system file (or --agency) names, else the one
 * the evidence pack records. A collected pack records none, so without the agency it is unnamed.
 */
export const organisationOf = (result: AssessmentResult): string | null => result.system?.agency ?? result.pack.organisation;
