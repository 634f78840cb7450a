import ExcelJS from 'exceljs';
import { IMPLEMENTATION_STATUSES, isAttestedImplementation, type AttestedImplementation, type ImplementationStatus } from '../assess/annex';
import { expiredAt } from '../assess/expiry';
import type { CatalogControl } from '../mapping/catalog';
import { ismIdentifier } from '../render/ism-identifier';
import { REQUEST_COLUMNS, REQUESTS_SHEET } from '../render/requests';
import { addDays, isCalendarDate } from '../util/dates';
import { resolveAttachments, type AttachmentsFolder, type SourceAttachment } from './attachments';

/**
 * The owners' answers in a workbook `auditpack requests` wrote (docs/attest-import.md): the
 * shaded columns of its Requests sheet, row by row, each cell checked and each attachment found.
 * Nothing is written; every problem is kept, one line per bad cell, so that the owner can fix
 * them all in one pass.
 */

/** The columns read, by their header text (the sheet may have had columns moved or added). */
const COLUMN = {
  identifier: 'Identifier',
  statement: 'Implementation statement',
  implementation: 'Implementation',
  attester: 'Attester',
  date: 'Date',
  validUntil: 'Valid until',
  attachments: 'Attachments',
} as const;

/** The owner's columns: a row with all of them empty is blank. */
const FILLED = REQUEST_COLUMNS.filter((c) => c.filled).map((c) => c.name);

/** An implementation answer that is not an attestation of an implemented control. */
export type NotAttested = Exclude<ImplementationStatus, AttestedImplementation>;

/** An answered row that becomes an attestation: every cell present and well formed. */
export interface AnsweredAttestation {
  control: CatalogControl;
  statement: string;
  implementation: AttestedImplementation;
  attester: string;
  attestedOn: string;
  validUntil: string;
  /** The files the Attachments cell names, found and checked, in order. */
  attachments: SourceAttachment[];
}

/** An answer that says the control is not implemented (or not known to be): nothing is written for it. */
export interface NotAttestedAnswer {
  kind: 'not-attested';
  /** The control as the workbook shows it. */
  identifier: string;
  /** The row's Implementation cell. */
  at: string;
  implementation: NotAttested;
}

export type RowAnswer =
  /** `at`: the row's Identifier cell. */
  | { kind: 'attestation'; at: string; attestation: AnsweredAttestation }
  | NotAttestedAnswer;

export interface WorkbookAnswers {
  /** As given on the command line (or found in a folder given there). */
  file: string;
  answers: RowAnswer[];
  /** Rows of a control whose owner's columns are all empty. */
  blank: number;
  /** One line each: `file.xlsx:Requests!L12: what is wrong`, or `file.xlsx: what is wrong`. */
  problems: string[];
}

/** The ISM controls and principles by the identifier a request row shows (`ISM-0252`, `GOV-01`) or their id. */
export class ControlLookup {
  private readonly byName = new Map<string, CatalogControl>();

  constructor(controls: readonly CatalogControl[]) {
    for (const c of controls) {
      this.byName.set(ismIdentifier(c), c);
      this.byName.set(c.id.toUpperCase(), c);
    }
  }

  find(text: string): CatalogControl | undefined {
    return this.byName.get(text.trim().toUpperCase());
  }
}

/**
 * A cell's value without Excel's wrappers: a formula's cached result, rich text's characters, a
 * hyperlink's text (itself plain or rich text). An Excel error stays one; any other object, which
 * this version of exceljs does not describe, is kept as unknown, never mistaken for text.
 */
type Plain = string | number | boolean | Date | { error: string } | { unknown: string } | null;

function plain(value: ExcelJS.CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  // exceljs types a hyperlink's text as a string, but a link over formatted text reads as rich text.
  if ('hyperlink' in value) return plain(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return plain(value.result);
  if ('error' in value) return { error: String(value.error) };
  return { unknown: Object.keys(value).join(', ') || 'no fields' };
}

const isEmpty = (v: Plain) => v === null || (typeof v === 'string' && !v.trim());

/**
 * The calendar day of a date cell. Excel stores a day count without a time zone and exceljs reads
 * it as that moment in UTC, so the UTC date is the day Excel shows; a time of day is ignored.
 */
const dayOf = (d: Date) => (Number.isNaN(d.getTime()) ? 'an invalid date' : d.toISOString().slice(0, 10));

/** What a cell holds, in the owner's words and quoted, for a message. */
const shown = (v: Plain) => (v instanceof Date ? `"${dayOf(v)}"` : typeof v !== 'object' || v === null ? `"${String(v)}"` : 'error' in v ? `"${v.error}"` : unknownValue(v));

/** An object exceljs gave that is none of the values Excel cells hold, with the fields it has. */
const unknownValue = (v: { unknown: string }) => `a value auditpack cannot read (an object with ${v.unknown})`;

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };
const bad = (problem: string): Checked<never> => ({ ok: false, problem });
const good = <T>(value: T): Checked<T> => ({ ok: true, value });

function textOf(v: Plain): Checked<string> {
  if (v instanceof Date) return bad(`holds the date ${dayOf(v)}, not text`);
  if (typeof v === 'object' && v !== null) return bad('error' in v ? `holds the error ${v.error}, not text` : `holds ${unknownValue(v)}, not text; type the text in the cell`);
  return good(String(v).replace(/\r\n?/g, '\n').trim());
}

function dateOf(v: Plain): Checked<string> {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? bad('holds an invalid date') : good(dayOf(v));
  const text = typeof v === 'string' ? v.trim() : null;
  return text !== null && isCalendarDate(text) ? good(text) : bad(`${shown(v)} is not a date (YYYY-MM-DD)`);
}

function implementationOf(v: Plain): Checked<ImplementationStatus> {
  const text = typeof v === 'string' ? v.trim().toLowerCase() : null;
  const found = IMPLEMENTATION_STATUSES.find((s) => s.toLowerCase() === text);
  return found ? good(found) : bad(`${shown(v)} is not an implementation; expected one of ${IMPLEMENTATION_STATUSES.join(', ')}`);
}


/** Attachment names, one a line or separated by semicolons. */
const attachmentNames = (text: string) =>
  text
    .split(/[\n;]/)
    .map((n) => n.trim())
    .filter(Boolean);

/** Reads and checks every answered row of a request workbook's Requests sheet; attachments are found in `folder`. */
export async function readAnswers(file: string, controls: ControlLookup, folder: AttachmentsFolder, today: string): Promise<WorkbookAnswers> {
  const found: WorkbookAnswers = { file, answers: [], blank: 0, problems: [] };
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (e) {
    found.problems.push(`${file}: cannot read it as an .xlsx workbook (${String((e as Error).message ?? e).split('\n')[0]})`);
    return found;
  }
  const sheet = book.getWorksheet(REQUESTS_SHEET);
  if (!sheet) {
    found.problems.push(`${file}: has no sheet named ${REQUESTS_SHEET} (is it a workbook auditpack requests wrote?)`);
    return found;
  }
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, n) => {
    const name = plain(cell.value);
    if (typeof name === 'string' && !header.has(name.trim())) header.set(name.trim(), n);
  });
  const absent = [...new Set<string>([...Object.values(COLUMN), ...FILLED])].filter((name) => !header.has(name));
  if (absent.length) {
    found.problems.push(`${file}: the ${REQUESTS_SHEET} sheet's first row has no ${absent.map((n) => `"${n}"`).join(', ')} column${absent.length === 1 ? '' : 's'}`);
    return found;
  }
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = readRow({ file, row: sheet.getRow(n), header, controls, folder, today });
    if (row === 'blank') found.blank++;
    else if (row !== 'empty') {
      found.problems.push(...row.problems);
      if (row.answer) found.answers.push(row.answer);
    }
  }
  return found;
}

interface RowContext {
  file: string;
  row: ExcelJS.Row;
  /** Column numbers by header text. */
  header: ReadonlyMap<string, number>;
  controls: ControlLookup;
  folder: AttachmentsFolder;
  /** The day of the import (UTC). */
  today: string;
}

/**
 * One row: `empty` (nothing in it), `blank` (a control, none of the owner's columns filled), or
 * its answer when every cell it needs is good, and otherwise its problems in the order of its cells.
 */
function readRow({ file, row, header, controls, folder, today }: RowContext): 'empty' | 'blank' | { answer: RowAnswer | null; problems: string[] } {
  const cell = (name: string) => row.getCell(header.get(name)!);
  const at = (name: string) => `${file}:${REQUESTS_SHEET}!${cell(name).address}`;
  const value = (name: string) => plain(cell(name).value);
  if (FILLED.every((name) => isEmpty(value(name)))) return isEmpty(value(COLUMN.identifier)) ? 'empty' : 'blank';

  const found: { column: number; line: string }[] = [];
  const problem = (name: string, what: string) => found.push({ column: header.get(name)!, line: `${at(name)}: ${what}` });
  const done = (answer: RowAnswer | null) => ({ answer: found.length ? null : answer, problems: found.sort((a, b) => a.column - b.column).map((p) => p.line) });
  /** The cell's value as `check` reads it; undefined (and a problem) when it is bad. */
  const read = <T>(name: string, check: (v: Plain) => Checked<T>): T | undefined => {
    const checked = check(value(name));
    if (checked.ok) return checked.value;
    problem(name, checked.problem);
  };
  /** A cell an answered row needs; undefined (and a problem) when it is empty or bad. */
  const required = <T>(name: string, check: (v: Plain) => Checked<T>): T | undefined => {
    if (!isEmpty(value(name))) return read(name, check);
    problem(name, `${name} is empty; an answered row needs it`);
  };

  const identifierText = required(COLUMN.identifier, textOf);
  const control = identifierText === undefined ? undefined : controls.find(identifierText);
  if (identifierText !== undefined && !control) problem(COLUMN.identifier, `"${identifierText}" is not a control or principle of the ISM catalog`);
  const implementation = required(COLUMN.implementation, implementationOf);
  if (implementation !== undefined && !isAttestedImplementation(implementation)) {
    // Nothing is written for such an answer, so the rest of the row is not asked for.
    return done(control ? { kind: 'not-attested', at: at(COLUMN.implementation), identifier: ismIdentifier(control), implementation } : null);
  }
  const statement = required(COLUMN.statement, textOf);
  const attester = required(COLUMN.attester, textOf);
  const attestedOn = required(COLUMN.date, dateOf);
  const validUntil = required(COLUMN.validUntil, dateOf);
  // An owner ahead of UTC (Australia is 8 to 11 hours ahead) may date an answer a day past UTC's today.
  if (attestedOn !== undefined && attestedOn > addDays(today, 1)) problem(COLUMN.date, `the date attested, ${attestedOn}, is in the future (today is ${today}); an attestation is dated the day it is made`);
  if (attestedOn !== undefined && validUntil !== undefined && validUntil <= attestedOn) problem(COLUMN.validUntil, `valid until ${validUntil} is not after the date attested, ${attestedOn}`);
  // By the rule the assessment judges expiry with: an answer imported already expired would only ever be reported as expired.
  else if (validUntil !== undefined && expiredAt(validUntil, today)) problem(COLUMN.validUntil, `valid until ${validUntil} has already passed (today is ${today}); an attestation must still hold when it is imported`);
  const attachmentsText = isEmpty(value(COLUMN.attachments)) ? '' : read(COLUMN.attachments, textOf);
  const attachments = resolveAttachments(attachmentNames(attachmentsText ?? ''), folder, at(COLUMN.attachments));
  for (const line of attachments.problems) found.push({ column: header.get(COLUMN.attachments)!, line });
  if (!control || !implementation || statement === undefined || attester === undefined || attestedOn === undefined || validUntil === undefined) return done(null);
  return done({ kind: 'attestation', at: at(COLUMN.identifier), attestation: { control, statement, implementation, attester, attestedOn, validUntil, attachments: attachments.attachments } });
}
