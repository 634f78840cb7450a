import type { AssessmentResult } from '../../assess/result';
import type { Property } from './model';
import { AUDITPACK_NS, exportUuid } from './uuid';

/** A prop in auditpack's namespace (docs/oscal.md, "Props"). */
export const prop = (name: string, value: string): Property => ({ name, value, ns: AUDITPACK_NS });

/**
 * A name from the pack as OSCAL's string type allows it (no line breaks, no leading or trailing
 * space): pack records may hold either, and the export must still validate.
 */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The party standing for a person or organisation named in the result, and the name it is listed under. */
export const partyName = oneLine;
export const partyUuid = (result: AssessmentResult, name: string) => exportUuid(result.pack.packId, 'party', partyName(name));

/** A calendar date of the result as a timestamp: the start of the day, or its end for a last valid day (UTC). */
export const dayStart = (date: string) => `${date}T00:00:00Z`;
export const dayEnd = (date: string) => `${date}T23:59:59Z`;
