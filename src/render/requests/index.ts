import path from 'node:path';
import type ExcelJS from 'exceljs';
import { IMPLEMENTATION_STATUSES } from '../../assess/annex';
import type { Owner } from '../../assess/owners';
import type { AssessmentResult } from '../../assess/result';
import { dateCell, DateCell, safeCell, type Cell } from '../cells';
import { writeCsv } from '../csv';
import { ismIdentifier } from '../ism-identifier';
import { ownerText } from '../poam/items';
import { addAboutSheet, addRowSheet, finishRowSheet, printedWorkbook, TOP, wrappedHeight, WRAPPED, writePrintedWorkbook } from '../workbook';
import { DATE_STYLE, HEADER_STYLE, xlsxValue } from '../xlsx';
import { REQUEST_REASONS, requestedControls, type RequestedControl } from './reasons';

const REQUESTS_CSV = 'requests.csv';
export const REQUESTS_SHEET = 'Requests';
const SUMMARY_SHEET = 'Summary';
/** The file of the controls no owner covers. */
const UNASSIGNED = 'unassigned';

interface RequestColumn {
  name: string;
  width: number;
  wrap?: boolean;
  /** Left empty for the owner to fill: marked in the header, read back by `attest import`. */
  filled?: boolean;
  value(row: RequestedControl): Cell;
}

const blank = (): Cell => null;

/** The sheet's columns (docs/requests.md, "Columns"): the control first, then the owner's. */
export const REQUEST_COLUMNS: readonly RequestColumn[] = [
  { name: 'Identifier', width: 12, value: (r) => ismIdentifier(r.control) },
  { name: 'Guideline', width: 20, wrap: true, value: (r) => r.control.guideline },
  { name: 'Section', width: 20, wrap: true, value: (r) => r.control.section },
  { name: 'Topic', width: 20, wrap: true, value: (r) => r.control.topic },
  { name: 'Requested because', width: 20, wrap: true, value: (r) => r.reasons.map((k) => REQUEST_REASONS[k]).join('\n') },
  { name: 'Last statement', width: 40, wrap: true, value: (r) => r.lastAnswer?.statement ?? null },
  { name: 'Last attester', width: 20, wrap: true, value: (r) => r.lastAnswer?.attester ?? null },
  { name: 'Last valid until', width: 15, value: (r) => dateCell(r.lastAnswer?.validUntil) },
  { name: 'Implementation statement', width: 48, wrap: true, filled: true, value: blank },
  { name: 'Implementation', width: 16, filled: true, value: blank },
  { name: 'Attester', width: 20, wrap: true, filled: true, value: blank },
  { name: 'Date', width: 11, filled: true, value: blank },
  { name: 'Valid until', width: 11, filled: true, value: blank },
  { name: 'Attachments', width: 30, wrap: true, filled: true, value: blank },
];

/** The owner's columns that take a date: formatted as one, so a typed date reads back as a date. */
const FILLED_DATES = new Set(['Date', 'Valid until']);
const VALUE_LISTS: Record<string, readonly string[]> = { Implementation: IMPLEMENTATION_STATUSES };
const FILLED_NOTE = 'For the control owner to fill: see the Summary sheet.';
const FILLED_HEADER: Partial<ExcelJS.Style> = { ...HEADER_STYLE, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } };
const DATE_TOP: Partial<ExcelJS.Style> = { ...DATE_STYLE, ...TOP };

/** One owner's requests, and the file they go to. */
export interface OwnerRequests {
  /** Null: the controls no owner covers. */
  owner: Owner | null;
  /** The workbook's name in the output folder (`<slug>.xlsx`). */
  file: string;
  controls: RequestedControl[];
}

export interface RequestsOptions {
  marking: string;
  /** The date answers are wanted by (YYYY-MM-DD), or null. */
  due: string | null;
  /** Records ending within this many days of the as-of date are requested as expiring. */
  expiringWithinDays: number;
}

/** A filesystem-safe name of an owner: lower case letters, digits and dashes, at most 60 characters. */
function ownerSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return slug || 'owner';
}

const ownerKey = (o: Owner | null) => (o === null ? '' : JSON.stringify([o.name, o.role, o.email]));

/**
 * The requested controls grouped by owner, owners in order of name (the unassigned last), each
 * with a file name no other owner has: a slug two owners share takes -2, -3... in that order.
 */
function requestsByOwner(result: AssessmentResult, withinDays: number): OwnerRequests[] {
  const groups = new Map<string, { owner: Owner | null; controls: RequestedControl[] }>();
  for (const requested of requestedControls(result, withinDays)) {
    const key = ownerKey(requested.control.owner);
    if (!groups.has(key)) groups.set(key, { owner: requested.control.owner, controls: [] });
    groups.get(key)!.controls.push(requested);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<string>();
  return sorted.map(([, { owner, controls }]) => {
    const base = owner === null ? UNASSIGNED : ownerSlug(owner.name);
    let slug = base;
    for (let n = 2; taken.has(slug) || (owner !== null && slug === UNASSIGNED); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return { owner, file: `${slug}.xlsx`, controls };
  });
}

function summaryRows(result: AssessmentResult, group: OwnerRequests, options: RequestsOptions): [string, string][] {
  const counts = (Object.keys(REQUEST_REASONS) as (keyof typeof REQUEST_REASONS)[])
    .map((k) => [REQUEST_REASONS[k], group.controls.filter((c) => c.reasons.includes(k)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label}: ${n}`)
    .join('; ');
  const rows: [string, string][] = [
    ['Owner', group.owner === null ? 'Unassigned: no owner in the system file covers these controls' : ownerText(group.owner)],
    ['Email', group.owner?.email ?? ''],
    ['System', result.system?.name ?? 'not named'],
    ['Controls requested', String(group.controls.length)],
    ['Requested because', counts],
    ['Answers due', options.due ?? 'no date given'],
    ['Assessed as of', result.asOf],
    ['Expiring means', `Valid until ${options.expiringWithinDays} days after the as-of date or sooner.`],
    ['Evidence pack', result.pack.packId],
    ['Baseline', result.baseline],
    ['Protective marking', options.marking],
    ['Last statement', "The control's attestation valid longest in the evidence (expired or not), if any: its statement, attester and the day it stops counting."],
    ['Columns to fill', `The shaded columns, one row per control: the implementation statement, the implementation (one of ${IMPLEMENTATION_STATUSES.join(', ')}), who attests, the date attested and until when it holds (YYYY-MM-DD), and the names of the files attached, separated by semicolons.`],
  ];
  if (result.pack.sample) rows.unshift(['Sample data', 'Made from the built-in sample pack: not an assessment of a real system.']);
  return rows;
}

/** Writes one owner's workbook: the requests under a frozen, filtered header, the owner's columns shaded and noted, and a summary. */
async function writeOwnerWorkbook(file: string, result: AssessmentResult, group: OwnerRequests, options: RequestsOptions): Promise<void> {
  const book = printedWorkbook(new Date(result.pack.completedAt), options.marking, result.pack.sample);
  const sheet = addRowSheet(book, REQUESTS_SHEET, REQUEST_COLUMNS);
  REQUEST_COLUMNS.forEach((c, i) => {
    if (!c.filled) return;
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.style = FILLED_HEADER;
    cell.note = FILLED_NOTE;
  });
  for (const data of group.controls) {
    const cells = REQUEST_COLUMNS.map((c) => safeCell(c.value(data)));
    const row = sheet.addRow(cells.map(xlsxValue));
    REQUEST_COLUMNS.forEach((c, i) => {
      row.getCell(i + 1).style = cells[i] instanceof DateCell || FILLED_DATES.has(c.name) ? DATE_TOP : c.wrap ? WRAPPED : TOP;
    });
    row.height = wrappedHeight(REQUEST_COLUMNS.flatMap((c, i) => (c.wrap && typeof cells[i] === 'string' ? [[cells[i] as string, c.width] as const] : [])));
  }
  finishRowSheet(sheet, REQUEST_COLUMNS, group.controls.length, VALUE_LISTS);
  addAboutSheet(book, SUMMARY_SHEET, summaryRows(result, group, options));
  await writePrintedWorkbook(book, file);
}

/** requests.csv: one row per owner and control, for a mail merge. */
async function writeRequestsCsv(file: string, groups: readonly OwnerRequests[], due: string | null): Promise<void> {
  await writeCsv(file, {
    columns: ['owner_name', 'owner_email', 'file', 'identifier', 'reason', 'due'].map((name) => ({ name })),
    async *rows() {
      for (const g of groups) {
        for (const r of g.controls) yield [g.owner?.name ?? null, g.owner?.email ?? null, g.file, ismIdentifier(r.control), r.reasons.map((k) => REQUEST_REASONS[k]).join('; '), dateCell(due)];
      }
    },
  });
}

/** Writes every owner's workbook and requests.csv into `dir`; returns the groups written. */
export async function writeRequests(dir: string, result: AssessmentResult, options: RequestsOptions): Promise<OwnerRequests[]> {
  const groups = requestsByOwner(result, options.expiringWithinDays);
  for (const group of groups) await writeOwnerWorkbook(path.join(dir, group.file), result, group, options);
  await writeRequestsCsv(path.join(dir, REQUESTS_CSV), groups, options.due);
  return groups;
}
