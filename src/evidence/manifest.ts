import { z } from 'zod';
import { FileList } from '../integrity/files';
import { CarriedForward } from './records';

export const PACK_FORMAT = 'auditpack/evidence-pack';
export const PACK_FORMAT_VERSION = 1;

const timestamp = z.iso.datetime({ offset: true });

/** A part of the estate that could not be read; what it affects is reported, never dropped. */
export const CollectionGap = z.strictObject({
  collector: z.string().min(1),
  service: z.string().min(1),
  operation: z.string().min(1),
  accountId: z.string().nullable(),
  region: z.string().nullable(),
  errorCode: z.string().min(1),
  message: z.string(),
});
export type CollectionGap = z.infer<typeof CollectionGap>;

/** Requests a collector sent to one API operation: how many, how many were retries, how many AWS throttled. */
export const ApiCallCount = z.strictObject({
  service: z.string().min(1),
  operation: z.string().min(1),
  calls: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  throttles: z.number().int().nonnegative(),
});
export type ApiCallCount = z.infer<typeof ApiCallCount>;

/**
 * How the evaluations of one account and Region were read: `per-rule` (each rule's results
 * with their annotations) or `bulk` (Config's recorded ResourceCompliance items, which carry no
 * annotations; see docs/collect.md for the few that are fetched per rule).
 */
export const EvaluationPath = z.strictObject({
  accountId: z.string(),
  region: z.string(),
  path: z.enum(['bulk', 'per-rule']),
});
export type EvaluationPath = z.infer<typeof EvaluationPath>;

/** A manual record of the earlier pack that had expired at the new collection date, so was not carried. */
export const Renewal = z.strictObject({
  kind: z.enum(['attestation', 'risk-acceptance']),
  id: z.string().min(1),
  controlIds: z.array(z.string().min(1)),
  /** Its validUntil (attestation) or expiresOn (risk acceptance), before the new collection date. */
  until: z.iso.date(),
});
export type Renewal = z.infer<typeof Renewal>;

/**
 * What `collect --carry-forward` took from an earlier pack and what it left for renewal. The
 * carried records themselves are in manual/, each with `carriedForwardFrom`.
 */
export const CarryForward = z.strictObject({
  from: CarriedForward,
  /** The date validity was judged at: the day this pack's collection completed, as the assessment judges it. */
  judgedAt: z.iso.date(),
  /** Ids of the earlier pack's records carried into this one. */
  carried: z.array(z.string().min(1)),
  /** Ids of the earlier pack's records not carried because `--attestations` gave a record with the same id. */
  replaced: z.array(z.string().min(1)),
  /** The earlier pack's records that had expired and were not replaced: they need renewing. */
  needsRenewal: z.array(Renewal),
});
export type CarryForward = z.infer<typeof CarryForward>;

export const PackManifest = z.strictObject({
  format: z.literal(PACK_FORMAT),
  formatVersion: z.literal(PACK_FORMAT_VERSION),
  packId: z.string().min(1),
  /** A label for the assessment period, such as 2026-Q4. */
  period: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a label such as 2026-Q4'),
  /** True for packs made by the built-in sample estate: every output made from it says SAMPLE DATA. */
  sample: z.boolean(),
  organisation: z.string().nullable(),
  scope: z.strictObject({
    accounts: z.array(z.strictObject({ accountId: z.string().regex(/^\d{12}$/), name: z.string().nullable() })),
    regions: z.array(z.string()),
  }),
  collectors: z.array(z.strictObject({ name: z.string().min(1), startedAt: timestamp, completedAt: timestamp })),
  startedAt: timestamp,
  completedAt: timestamp,
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  gaps: z.array(CollectionGap),
  /** Absent from packs that were not collected from AWS (the sample) and from packs written before it existed. */
  apiCalls: z.array(ApiCallCount).optional(),
  /** Absent from packs that were not collected from AWS and from packs written before it existed (all per rule). */
  evaluationPaths: z.array(EvaluationPath).optional(),
  /** Only in packs collected with --carry-forward. */
  carryForward: CarryForward.optional(),
  files: FileList,
});
export type PackManifest = z.infer<typeof PackManifest>;

/** What a collector states about its run; the writer adds format, tool and files. */
export type PackDescription = Omit<PackManifest, 'format' | 'formatVersion' | 'tool' | 'files'>;
