import { parse, stringify } from 'yaml';
import type { AssessmentResult } from '../../assess/result';
import { assertLoadableLibrary } from './check';
import { frameworkLibrary } from './library';

export const CISO_ASSISTANT_LIBRARY = 'ciso-assistant/framework-library.yaml';
export const CISO_ASSISTANT_AUDIT = 'ciso-assistant/audit-import.xlsx';
export const CISO_ASSISTANT_FILES: readonly string[] = [CISO_ASSISTANT_LIBRARY, CISO_ASSISTANT_AUDIT];

/**
 * The library's YAML text, checked against the loader's rules as CISO Assistant will read it
 * (parsed back), before anything is written. Keys keep the builder's order and long text is not
 * folded, so the same result always gives the same bytes.
 */
export function libraryYaml(result: AssessmentResult): string {
  const text = stringify(frameworkLibrary(result), { lineWidth: 0 });
  assertLoadableLibrary(CISO_ASSISTANT_LIBRARY, parse(text));
  return text;
}

export { writeAuditImport } from './audit';
