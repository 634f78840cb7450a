import path from 'node:path';
import { Readable } from 'node:stream';
import { collectionDay, expiredAt } from '../assess/expiry';
import { AuditpackError } from '../errors';
import type { CarryForward, PackManifest, Renewal } from '../evidence/manifest';
import { openPack } from '../evidence/reader';
import type { AttachmentRef, Attestation, CarriedForward, RiskException } from '../evidence/records';
import { readListedFile } from '../integrity/files';
import { packSignature } from '../integrity/signature';
import type { Collector } from './collector';
import type { CollectionRun } from './run';

/**
 * `collect --carry-forward PREVIOUS_PACK`: the earlier pack's attestations and risk acceptances
 * that are still valid at the new collection date come into the new pack with their attachments;
 * the expired ones are listed for renewal. The earlier pack is checked as `verify` checks it
 * before anything is taken from it, and each attachment is checked again as it is copied.
 */

export const CARRY_FORWARD_COLLECTOR = 'carry-forward';

type ManualRecord = { kind: 'attestation'; record: Attestation } | { kind: 'risk-acceptance'; record: RiskException };

export interface EarlierPack {
  dir: string;
  manifest: PackManifest;
  from: CarriedForward;
  records: ManualRecord[];
}

const refused = (message: string) => new AuditpackError(`--carry-forward: ${message}`);

/** Opens the earlier pack: every hash and cited attachment checked, and its signature if it has one; read before AWS is called. */
export async function loadEarlierPack(dir: string): Promise<EarlierPack> {
  const pack = await openPack(dir).catch((e: unknown) => Promise.reject(e instanceof AuditpackError ? refused(e.message) : e));
  await packSignature(dir).catch((e: unknown) => Promise.reject(e instanceof AuditpackError ? refused(e.message) : e));
  const records: ManualRecord[] = [];
  // Read to the end: a record file that no longer matches its manifest fails after its last record.
  for await (const record of pack.records('attestations')) records.push({ kind: 'attestation', record });
  for await (const record of pack.records('exceptions')) records.push({ kind: 'risk-acceptance', record });
  const { packId, period } = pack.manifest;
  return { dir, manifest: pack.manifest, from: { packId, period, manifestSha256: pack.manifestSha256 }, records };
}

const validUntil = (r: ManualRecord) => (r.kind === 'attestation' ? r.record.validUntil : r.record.expiresOn);

export interface CarryPlan {
  earlier: EarlierPack;
  carried: ManualRecord[];
  summary: CarryForward;
}

/**
 * Sorts the earlier pack's records at `completedAt`, the new pack's completion time (the day the
 * assessment will judge expiry at): a record `--attestations` gives again (same id) is replaced
 * by the new one, whether or not it had expired; of the rest, the valid are carried and the
 * expired need renewal.
 */
export function planCarry(earlier: EarlierPack, completedAt: string, givenIds: ReadonlySet<string>): CarryPlan {
  const judgedAt = collectionDay(completedAt);
  const kept = earlier.records.filter((r) => !givenIds.has(r.record.id));
  const carried = kept.filter((r) => !expiredAt(validUntil(r), judgedAt));
  const needsRenewal: Renewal[] = kept
    .filter((r) => expiredAt(validUntil(r), judgedAt))
    .map((r) => ({ kind: r.kind, id: r.record.id, controlIds: r.record.controlIds, until: validUntil(r) }));
  const replaced = earlier.records.filter((r) => givenIds.has(r.record.id)).map((r) => r.record.id);
  return { earlier, carried, summary: { from: earlier.from, judgedAt, carried: carried.map((r) => r.record.id), replaced, needsRenewal } };
}

/** Writes the carried records, each attachment streamed from the earlier pack through its manifest entry (so a file changed since the check fails). */
export function carryForwardCollector(plan: CarryPlan): Collector {
  const { earlier } = plan;
  const entries = new Map(earlier.manifest.files.map((f) => [f.path, f]));
  const copy = async (run: CollectionRun, a: AttachmentRef): Promise<AttachmentRef> => {
    const entry = entries.get(`attachments/${a.sha256}`);
    // openPack checked every cited attachment is listed; this is a bug, not bad input.
    if (!entry) throw new Error(`${earlier.dir}: attachments/${a.sha256} is cited but not listed`);
    const copied = await run.attach(a.name, Readable.from(readListedFile(earlier.dir, entry)), a.mediaType).catch((e: unknown) =>
      Promise.reject(e instanceof AuditpackError ? refused(`${a.name}: ${e.message}`) : e),
    );
    if (copied.sha256 !== a.sha256) throw refused(`${path.join(earlier.dir, entry.path)} (${a.name}): changed since the earlier pack was checked`);
    return copied;
  };
  return {
    name: CARRY_FORWARD_COLLECTOR,
    writes: ['attestations', 'exceptions'],
    async collect(run) {
      run.progress.expect(1);
      for (const item of plan.carried) {
        const attachments: AttachmentRef[] = [];
        for (const a of item.record.attachments) attachments.push(await copy(run, a));
        if (item.kind === 'attestation') await run.write('attestations', { ...item.record, attachments, carriedForwardFrom: earlier.from });
        else await run.write('exceptions', { ...item.record, attachments, carriedForwardFrom: earlier.from });
      }
      run.progress.done(1, `carry-forward: ${plan.carried.length} attestations and risk acceptances from pack ${earlier.from.packId}`);
      return { notes: carryNotes(plan.summary) };
    },
  };
}

/** The summary's lines: where records came from, which the new ones replaced, and every one that needs renewing. */
export function carryNotes(c: CarryForward): string[] {
  return [
    `carried forward ${c.carried.length} attestation(s) and risk acceptance(s) valid on ${c.judgedAt} from pack ${c.from.packId} (${c.from.period})`,
    ...(c.replaced.length ? [`replaced by --attestations (same id): ${c.replaced.join(', ')}`] : []),
    ...c.needsRenewal.map((r) => `needs renewal (expired, not carried): ${r.kind} ${r.id} for ${r.controlIds.join(', ')}, valid until ${r.until}`),
  ];
}
