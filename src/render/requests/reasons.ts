import type { AssessmentResult, ControlAssessment, ManualAttestation, PackCarryForward } from '../../assess/result';
import { addDays } from '../../util/dates';

type Renewal = PackCarryForward['needsRenewal'][number];

/**
 * Why a control's owner is asked for evidence (docs/requests.md, "Reasons"), in the order a row
 * lists them. Each is a gap the owner can close with an attestation or a renewed acceptance.
 */
export const REQUEST_REASONS = {
  'not-assessed': 'Not assessed',
  'attestation-expired': 'Attestation expired',
  'attestation-expiring': 'Attestation expiring',
  'insufficient-evidence': 'Insufficient evidence',
  'risk-acceptance-expired': 'Risk acceptance expired',
  'risk-acceptance-expiring': 'Risk acceptance expiring',
} as const;
export type RequestReason = keyof typeof REQUEST_REASONS;

/** A control that needs its owner's evidence, why, and the attestation it last rested on. */
export interface RequestedControl {
  control: ControlAssessment;
  /** At least one, in the order of REQUEST_REASONS. */
  reasons: RequestReason[];
  /** Last quarter's answer: the control's attestation valid longest, expired or not; null when it has none. */
  lastAnswer: ManualAttestation | null;
}


/**
 * Of records valid until the given days: expired when none is still valid at `asOf`; expiring
 * when the one valid longest ends on or before `horizon` (a later record renewing an earlier one
 * means nothing is asked).
 */
function expiry(untils: readonly { until: string; expired: boolean }[], horizon: string): 'expired' | 'expiring' | null {
  if (!untils.length) return null;
  const current = untils.filter((u) => !u.expired);
  if (!current.length) return 'expired';
  return current.reduce((a, b) => (a.until > b.until ? a : b)).until <= horizon ? 'expiring' : null;
}

type Renewals = ReadonlyMap<string, readonly Renewal[]>;

/**
 * The earlier pack's records that `collect --carry-forward` left behind as expired, by control:
 * the new pack does not hold them, so without this a lapsed attestation would be asked for as
 * merely "Not assessed" and its renewal would go unnoticed.
 */
function renewalsByControl(result: AssessmentResult): Renewals {
  const by = new Map<string, Renewal[]>();
  for (const r of result.pack.carryForward?.needsRenewal ?? []) {
    for (const id of r.controlIds) by.set(id, [...(by.get(id) ?? []), r]);
  }
  return by;
}

function reasonsOf(control: ControlAssessment, horizon: string, renewals: Renewals): RequestReason[] {
  const reasons = new Set<RequestReason>();
  if (control.status === 'not-assessed') reasons.add('not-assessed');
  if (control.status === 'insufficient-evidence') reasons.add('insufficient-evidence');
  // The status also says so when a process check's recorded result has lapsed.
  if (control.status === 'attestation-expired') reasons.add('attestation-expired');
  const lapsed = (kind: Renewal['kind']) => (renewals.get(control.id) ?? []).filter((r) => r.kind === kind).map((r) => ({ until: r.until, expired: true }));
  const attestation = expiry([...control.evidence.attestations.map((a) => ({ until: a.validUntil, expired: a.expired })), ...lapsed('attestation')], horizon);
  if (attestation) reasons.add(`attestation-${attestation}`);
  const acceptance = expiry([...control.evidence.exceptions.map((e) => ({ until: e.expiresOn, expired: e.expired })), ...lapsed('risk-acceptance')], horizon);
  if (acceptance) reasons.add(`risk-acceptance-${acceptance}`);
  return (Object.keys(REQUEST_REASONS) as RequestReason[]).filter((r) => reasons.has(r));
}

/** The attestation of `controlId` valid longest (ties: the later attested, then the id), or null. */
function lastAnswerOf(attestations: readonly ManualAttestation[], controlId: string): ManualAttestation | null {
  const order = (a: ManualAttestation) => `${a.validUntil} ${a.attestedOn} ${a.id}`;
  return attestations.filter((a) => a.controlIds.includes(controlId)).reduce<ManualAttestation | null>((best, a) => (best === null || order(a) > order(best) ? a : best), null);
}

/** The controls of the result that need evidence, in result order, with records expiring within `withinDays` of the as-of date counted as expiring. */
export function requestedControls(result: AssessmentResult, withinDays: number): RequestedControl[] {
  const horizon = addDays(result.asOf, withinDays);
  const renewals = renewalsByControl(result);
  return result.controls.flatMap((control) => {
    const reasons = reasonsOf(control, horizon, renewals);
    return reasons.length ? [{ control, reasons, lastAnswer: lastAnswerOf(result.manualEvidence.attestations, control.id) }] : [];
  });
}

