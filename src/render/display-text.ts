import Handlebars from 'handlebars';

/**
 * Evidence text as a reader of the PDF or HTML report sees it. Characters that change how text
 * around them is shown without being seen themselves (bidirectional overrides, zero-width
 * characters, control codes) could disguise a value, e.g. `bucket\u202Egnp.exe` shows as
 * `bucketexe.png`; they are shown as `<U+202E>` instead. The PDF also bounds every value's
 * length, so that a hostile or careless value cannot swell it by hundreds of pages; the CSV files
 * and the pack keep the whole text.
 */
export interface DisplayOptions {
  /** Characters (code points) of one value shown before it is cut with a marker; null: no bound. */
  maxLength: number | null;
}

/** The PDF: no ISM statement comes near 2,000 characters (the longest in the December 2025 catalog has 1,371). */
export const PDF_DISPLAY: DisplayOptions = { maxLength: 2000 };
export const HTML_DISPLAY: DisplayOptions = { maxLength: null };

// C0 and C1 controls other than tab, line feed and carriage return; the Arabic letter mark;
// zero-width and directional marks; line and paragraph separators; directional embeddings,
// overrides and isolates; invisible operators; the zero-width no-break space.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

const codePoint = (c: string): string => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;

/** One value for display: cut (on whole characters) to the bound with a marker, invisible characters made visible. */
export function displayText(text: string, options: DisplayOptions): string {
  let shown = text;
  if (options.maxLength !== null && text.length > options.maxLength) {
    const chars = [...text];
    if (chars.length > options.maxLength) {
      shown = `${chars.slice(0, options.maxLength).join('')}… [cut to ${options.maxLength.toLocaleString('en-AU')} of ${chars.length.toLocaleString('en-AU')} characters]`;
    }
  }
  return shown.replace(INVISIBLE, codePoint);
}

/**
 * Text that holds AWS Config rule identifiers (S3_BUCKET_PUBLIC_READ_PROHIBITED), marked by the view
 * so that a line may wrap after each underscore and nowhere inside a word. The display step turns
 * it into escaped HTML with a <wbr> after every underscore: no character is added, so the text
 * copies, and pdftotext reads it, as the identifier itself.
 */
export class WrapsAtUnderscores {
  constructor(readonly text: string) {}
}

export const wrapsAtUnderscores = (text: string): WrapsAtUnderscores => new WrapsAtUnderscores(text);

/** The escaped HTML of marked text, with its break opportunities; the template prints it as it is. */
export const underscoreBreaks = (text: string): Handlebars.SafeString => new Handlebars.SafeString(Handlebars.Utils.escapeExpression(text).replace(/_/g, '_<wbr>'));

/** A view as the templates see it: marked text becomes HTML, so no template needs a helper or triple braces. */
export type Displayed<T> = T extends WrapsAtUnderscores ? Handlebars.SafeString : T extends string | number | boolean | null | undefined ? T : { [K in keyof T]: Displayed<T[K]> };

/** A template's view with every string in it prepared for display; numbers, booleans and nulls are left alone. */
export function displayView<T>(view: T, options: DisplayOptions): Displayed<T> {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return displayText(value, options);
    if (value instanceof WrapsAtUnderscores) return underscoreBreaks(displayText(value.text, options));
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    }
    return value;
  };
  return visit(view) as Displayed<T>;
}
