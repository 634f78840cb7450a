import type { Changes } from '../../assess/diff';
import type { AssessmentResult } from '../../assess/result';

/** Everything the report shows: the result, and how it is to be presented. */
export interface ReportInput {
  result: AssessmentResult;
  marking: string;
  system: string | null;
  changes: Changes | null;
  /** Why the pack's Evidence and Resources tables are left out of the report; null when they are in it. */
  rowsNote: string | null;
}
