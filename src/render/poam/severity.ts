import { AuditpackError } from '../../errors';

/** The kinds of weakness a POA&M item records (docs/poam.md, "Items"). */
export const WEAKNESS_KINDS = ['noncompliant', 'attestation-expired', 'no-visibility', 'not-implemented'] as const;
export type WeaknessKind = (typeof WEAKNESS_KINDS)[number];

/** How each kind reads in the workbook. */
export const WEAKNESS_LABELS: Record<WeaknessKind, string> = {
  noncompliant: 'Non-compliant',
  'attestation-expired': 'Attestation expired',
  'no-visibility': 'No visibility',
  'not-implemented': 'Not implemented',
};

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Whether a control is one of the Essential Eight mitigations, which ASD ranks as the baseline
 * every system should have in place: applicability cannot rank controls, since every control of
 * the baseline assessed applies to the system.
 */
type Tier = 'essential-eight' | 'other';

/**
 * The severity rule (docs/poam.md, "Severity"): evidence of a control failing outranks a control
 * that cannot be seen or whose attestation lapsed, and an Essential Eight control outranks the rest.
 */
export const SEVERITY_TABLE: Readonly<Record<WeaknessKind, Readonly<Record<Tier, Severity>>>> = {
  noncompliant: { 'essential-eight': 'high', other: 'medium' },
  'attestation-expired': { 'essential-eight': 'medium', other: 'low' },
  'no-visibility': { 'essential-eight': 'medium', other: 'low' },
  'not-implemented': { 'essential-eight': 'medium', other: 'low' },
};

export function severityOf(kind: WeaknessKind, essentialEight: readonly string[]): Severity {
  return SEVERITY_TABLE[kind][essentialEight.length ? 'essential-eight' : 'other'];
}

/** Days from the as-of date to an item's planned completion, per severity. */
export type PoamMilestones = Readonly<Record<Severity, number>>;

export const DEFAULT_POAM_MILESTONES: PoamMilestones = { high: 30, medium: 90, low: 180 };

/** Ten years: a longer plan is a typing mistake rather than a plan. */
const MAX_DAYS = 3650;

/**
 * `--poam-milestones high=30,medium=90,low=180`: days per severity, each given at most once; a
 * severity left out keeps its default.
 */
export function parsePoamMilestones(value: string): PoamMilestones {
  const refuse = (why: string) => new AuditpackError(`--poam-milestones: ${why}; expected days per severity, e.g. high=30,medium=90,low=180`);
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) throw refuse('no milestone given');
  const given: Partial<Record<Severity, number>> = {};
  for (const part of parts) {
    const match = /^([a-z]+)\s*=\s*(\d+)$/i.exec(part);
    if (!match) throw refuse(`"${part}" is not SEVERITY=DAYS`);
    const severity = match[1].toLowerCase() as Severity;
    if (!SEVERITIES.includes(severity)) throw refuse(`"${match[1]}" is not a severity (${SEVERITIES.join(', ')})`);
    if (given[severity] !== undefined) throw refuse(`${severity} is given twice`);
    const days = Number(match[2]);
    if (days < 1 || days > MAX_DAYS) throw refuse(`${severity}=${match[2]} is not between 1 and ${MAX_DAYS} days`);
    given[severity] = days;
  }
  return { ...DEFAULT_POAM_MILESTONES, ...given };
}

