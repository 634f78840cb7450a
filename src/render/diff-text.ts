import type { AssessmentDiff, AttestationDiff, DiffSideRef, FailingResult, SetChange } from '../assess/diff';

/**
 * `auditpack diff` for a person at a terminal: headed sections of aligned columns, every change
 * listed (a diff that hid some would have to be run again with --json to be trusted).
 */

/** Rows as left-aligned columns two spaces apart, indented under their heading. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

const side = (label: string, s: DiffSideRef) => `${label} ${s.dir}: ${s.source === 'pack' ? 'pack assessed now' : 'report'}, pack ${s.packId}, collected ${s.completedAt}, judged at ${s.asOf}`;
const arrow = (a: string | null, b: string | null) => (a === b ? (a ?? '-') : `${a ?? '(none)'} -> ${b ?? '(none)'}`);

function scopeLines(d: AssessmentDiff): string[] {
  const row = (label: string, set: SetChange<string>): string[] => [label, set.added.length ? set.added.join(', ') : '-', set.removed.length ? set.removed.join(', ') : '-'];
  const accounts = { added: d.scope.accounts.added.map((a) => a.accountId), removed: d.scope.accounts.removed.map((a) => a.accountId) };
  const rows = [row('accounts', accounts), row('regions', d.scope.regions), row('rules deployed', d.scope.rules), row('process checks', d.scope.processChecks)];
  return ['Scope', ...table(['', 'added', 'removed'], rows)];
}

function findingRows(kind: string, list: FailingResult[]): string[][] {
  return list.map((f) => [kind, f.sourceIdentifier, f.accountId, f.region ?? '(global)', f.resourceType, f.resourceId]);
}

function attestationRows(kind: string, list: AttestationDiff[]): string[][] {
  return list.map((a) => [kind, a.id, a.controlIds.join(' '), arrow(a.old?.validUntil ?? null, a.new?.validUntil ?? null), arrow(a.old?.state ?? null, a.new?.state ?? null)]);
}

export function diffText(d: AssessmentDiff): string {
  const { findings, attestations } = d;
  const out = [side('OLD', d.old), side('NEW', d.new), `Baseline ${d.baseline}`, '', ...scopeLines(d), ''];
  const totals = d.statusTotals.filter((s) => s.earlier || s.current);
  const delta = (n: number) => (n > 0 ? `+${n}` : String(n));
  out.push('Controls by status', ...table(['status', 'old', 'new', 'change'], totals.map((s) => [s.status, String(s.earlier), String(s.current), delta(s.current - s.earlier)])), '');
  out.push(`Controls changed: ${d.controls.length}`);
  if (d.controls.length) out.push(...table(['control', 'status', 'implementation'], d.controls.map((c) => [c.id, arrow(c.status.old, c.status.new), arrow(c.implementation.old, c.implementation.new)])));
  out.push('', `Findings (distinct failing results): ${findings.new.length} new, ${findings.resolved.length} resolved, ${findings.persisting.length} persisting`);
  const changed = [...findingRows('new', findings.new), ...findingRows('resolved', findings.resolved)];
  if (changed.length) out.push(...table(['', 'rule identifier', 'account', 'region', 'resource type', 'resource id'], changed));
  out.push('', `Attestations: ${attestations.new.length} new, ${attestations.expired.length} expired, ${attestations.renewed.length} renewed, ${attestations.removed.length} removed`);
  const records = [...attestationRows('new', attestations.new), ...attestationRows('expired', attestations.expired), ...attestationRows('renewed', attestations.renewed), ...attestationRows('removed', attestations.removed)];
  if (records.length) out.push(...table(['', 'attestation', 'controls', 'valid until', 'state'], records));
  return `${out.join('\n')}\n`;
}
