import type { z } from 'zod';
import * as r from './records';

/**
 * The evidence kinds of pack format v1: each is one JSON Lines file with one schema. Adding a
 * kind means adding it here; the writer, reader, verify and docs all follow this table.
 */
export const EVIDENCE_KINDS = {
  recorderStatus: { file: 'config/recorder-status.jsonl', schema: r.RecorderStatus },
  configRules: { file: 'config/rules.jsonl', schema: r.ConfigRule },
  evaluations: { file: 'config/evaluations.jsonl', schema: r.Evaluation },
  resources: { file: 'config/resources.jsonl', schema: r.Resource },
  conformancePacks: { file: 'config/conformance-packs.jsonl', schema: r.ConformancePack },
  artifactReports: { file: 'artifact/reports.jsonl', schema: r.ArtifactReport },
  artifactAgreements: { file: 'artifact/agreements.jsonl', schema: r.ArtifactAgreement },
  attestations: { file: 'manual/attestations.jsonl', schema: r.Attestation },
  exceptions: { file: 'manual/exceptions.jsonl', schema: r.RiskException },
} as const satisfies Record<string, { file: string; schema: z.ZodType }>;

export type EvidenceKind = keyof typeof EVIDENCE_KINDS;
export type EvidenceRecord<K extends EvidenceKind> = z.infer<(typeof EVIDENCE_KINDS)[K]['schema']>;
export const EVIDENCE_KIND_NAMES = Object.keys(EVIDENCE_KINDS) as EvidenceKind[];

export const ATTACHMENTS_DIR = 'attachments';

/** The schema of one kind, typed by its key (TypeScript cannot narrow the table lookup itself). */
export function schemaOf<K extends EvidenceKind>(kind: K): z.ZodType<EvidenceRecord<K>> {
  return EVIDENCE_KINDS[kind].schema as unknown as z.ZodType<EvidenceRecord<K>>;
}
