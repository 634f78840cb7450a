import type { ComplianceCounts, Status } from '../../assess/result';
import { STATUS_LABELS } from '../statuses';

// Wording helpers

/** 1234567 -> "1,234,567", the same on every machine (no locale data involved). */
export const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** An ISO timestamp as a reader wants it: "2026-11-16 22:03 UTC". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = d.toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)} UTC`;
}

export const percent = (n: number, of: number): string => (of === 0 ? '–' : n > 0 && n / of < 0.005 ? '<1%' : `${Math.round((n / of) * 100)}%`);

export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

export const more = (n: number, where: string): string | null => (n > 0 ? `and ${num(n)} more: see ${where}` : null);

export const statusView = (status: Status) => ({ label: STATUS_LABELS[status], cls: `st-${status}` });

export const COMPLIANCE_WORDS: Record<keyof ComplianceCounts, string> = {
  COMPLIANT: 'compliant',
  NON_COMPLIANT: 'non-compliant',
  NOT_APPLICABLE: 'not applicable',
  INSUFFICIENT_DATA: 'insufficient data',
};

export function countsText(counts: ComplianceCounts): string {
  const parts = (Object.keys(COMPLIANCE_WORDS) as (keyof ComplianceCounts)[]).filter((k) => counts[k] > 0).map((k) => `${num(counts[k])} ${COMPLIANCE_WORDS[k]}`);
  return parts.length ? parts.join(', ') : 'no evaluations';
}

export const XLSX = (sheet: string, csv: string) => `the ${sheet} sheet of report.xlsx (csv/${csv})`;
