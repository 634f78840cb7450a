/** A control owner named in the system file (auditpack.yaml): who answers for a control's evidence. */
export interface Owner {
  name: string;
  role: string | null;
  email: string | null;
}

/**
 * The control owners of a system: a default and overrides by guideline title, section title or
 * control id. The most specific wins (control, then section, then guideline, then the default),
 * so a team that owns a whole guideline is written once and an exception to it once more.
 */
export interface ControlOwners {
  default: Owner | null;
  byGuideline: Record<string, Owner>;
  bySection: Record<string, Owner>;
  byControl: Record<string, Owner>;
}

/** The system a result is for, as the system file names it. */
export interface SystemIdentity {
  name: string;
  agency: string | null;
}

/** The owner of one control, or null when the system file names none that covers it. */
export function ownerOf(owners: ControlOwners, control: { id: string; guideline: string; section: string }): Owner | null {
  return owners.byControl[control.id] ?? owners.bySection[control.section] ?? owners.byGuideline[control.guideline] ?? owners.default;
}
