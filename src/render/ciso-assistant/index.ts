import { parse, stringify } from 'yaml';
import type { AssessmentResult } from '../../assess/result';
import { builtinEssentialEightMapping } from '../../mapping/ciso-essential-eight';
import { writeAuditRows } from './audit';
import { assertLoadableLibrary } from './check';
import { essentialEightLevel, essentialEightRows } from './essential-eight';
import { frameworkLibrary } from './library';

export const CISO_ASSISTANT_LIBRARY = 'ciso-assistant/framework-library.yaml';
export const CISO_ASSISTANT_AUDIT = 'ciso-assistant/audit-import.xlsx';
/** Written for Essential Eight baselines only: the audit import for CISO Assistant's own essential-eight framework. */
export const CISO_ASSISTANT_E8_AUDIT = 'ciso-assistant/essential-eight-import.xlsx';
/** The files written for every baseline. */
export const CISO_ASSISTANT_FILES: readonly string[] = [CISO_ASSISTANT_LIBRARY, CISO_ASSISTANT_AUDIT];

/** The files written for this result's baseline. */
export function cisoAssistantFiles(result: AssessmentResult): string[] {
  return [...CISO_ASSISTANT_FILES, ...(essentialEightLevel(result) ? [CISO_ASSISTANT_E8_AUDIT] : [])];
}

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

/** The import for CISO Assistant's essential-eight framework, from the shipped mapping (docs/ciso-assistant.md). */
export function writeEssentialEightImport(file: string, result: AssessmentResult): Promise<void> {
  return writeAuditRows(file, essentialEightRows(result, builtinEssentialEightMapping()), result);
}

export { writeAuditImport } from './audit';
