import { AuditpackError } from '../errors';
import { builtinBaselines, type Baseline } from '../mapping/catalog';

/** The PSPF security classifications, lowest first. */
export const CLASSIFICATIONS = ['UNOFFICIAL', 'OFFICIAL', 'OFFICIAL: Sensitive', 'PROTECTED', 'SECRET', 'TOP SECRET'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * The classification of the information a system holds, by the ISM applicability value that
 * selects its baseline's controls (the profiles say which value that is: see BaselineDefinition).
 */
const APPLICABILITY_CLASSIFICATION: Readonly<Record<string, Classification>> = {
  NC: 'OFFICIAL',
  OS: 'OFFICIAL: Sensitive',
  P: 'PROTECTED',
  S: 'SECRET',
  TS: 'TOP SECRET',
};

/** A baseline's classification; null for one that says nothing about it (the Essential Eight maturity levels) or is unknown. */
function baselineClassification(baseline: string): Classification | null {
  const definition = builtinBaselines().find((b) => b.name === baseline);
  return definition?.prop === 'applicability' ? (APPLICABILITY_CLASSIFICATION[definition.value] ?? null) : null;
}

/** For a baseline without a classification. */
const FALLBACK_MARKING: Classification = 'OFFICIAL: Sensitive';

/** A report about a system carries at least the system's classification: the default marking is that. */
export function defaultMarking(baseline: Baseline): string {
  return baselineClassification(baseline) ?? FALLBACK_MARKING;
}

const MAX_MARKING_CHARS = 120;
// Longest first, so that "OFFICIAL: Sensitive" is not read as OFFICIAL followed by a caveat.
const BY_LENGTH = [...CLASSIFICATIONS].sort((a, b) => b.length - a.length);

/** The classification a marking starts with, in any letter case; null if none. */
function classificationOf(text: string): Classification | null {
  return BY_LENGTH.find((c) => text.toUpperCase().startsWith(c.toUpperCase())) ?? null;
}

export interface Marking {
  /** As printed: the classification spelled as the PSPF spells it, then whatever followed it. */
  text: string;
  classification: Classification;
}

/**
 * A protective marking as the user typed it: a PSPF classification (any letter case), then
 * optionally `//` or a space and caveats or information management markers, kept as typed.
 */
export function parseMarking(value: string): Marking {
  const text = value.trim().replace(/\s+/g, ' ');
  const refuse = (why: string) =>
    new AuditpackError(
      `--marking: "${value}" ${why}; use UNOFFICIAL, OFFICIAL, OFFICIAL: Sensitive, PROTECTED, SECRET or TOP SECRET, optionally followed by // and caveats or information management markers (e.g. "PROTECTED//CABINET")`,
    );
  if (!text) throw refuse('is empty');
  if (text.length > MAX_MARKING_CHARS) throw refuse(`is longer than ${MAX_MARKING_CHARS} characters`);
  if (/\p{Cc}|\p{Cf}/u.test(text)) throw refuse('contains control or invisible characters');
  const classification = classificationOf(text);
  if (!classification) throw refuse('is not a PSPF marking');
  const rest = text.slice(classification.length);
  if (rest && !rest.startsWith('//') && !rest.startsWith(' ')) throw refuse(`is not a PSPF marking (after ${classification})`);
  // "OFFICIAL Sensitive" is a misspelt classification, not OFFICIAL with a caveat.
  if (classification === 'OFFICIAL' && /^\W*sensitive/i.test(rest)) throw refuse('is not a PSPF marking (the classification is spelt "OFFICIAL: Sensitive")');
  if (/^(\/\/|\s)+$/.test(rest)) throw refuse(`has nothing after the ${rest.trim()} that follows ${classification}`);
  return { text: `${classification}${rest}`, classification };
}

/**
 * Why a marking is too low for the baseline, or null: a report on a PROTECTED system that is
 * marked OFFICIAL: Sensitive understates what it reveals (its findings describe the system).
 */
export function markingBelowBaseline(marking: string, baseline: string): string | null {
  const required = baselineClassification(baseline);
  if (required === null) return null;
  // The CLI has validated the marking; a caller passing some other text gets no note.
  const classification = classificationOf(marking);
  if (classification === null || CLASSIFICATIONS.indexOf(classification) >= CLASSIFICATIONS.indexOf(required)) return null;
  return `the protective marking ${marking} is below ${required}, the classification of the ${baseline} baseline assessed`;
}
