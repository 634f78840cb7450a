import type { EvidencePack } from '../evidence/reader';
import { ATTACHMENTS_DIR, EVIDENCE_KINDS, type EvidenceKind } from '../evidence/kinds';
import type { FileEntry } from '../integrity/files';
import type { ManualEvidence } from './manual';

const KIND_DESCRIPTIONS: Record<EvidenceKind, string> = {
  recorderStatus: 'AWS Config recorder status per account and region',
  configRules: 'AWS Config rules',
  evaluations: 'AWS Config rule evaluations',
  resources: 'AWS Config resource inventory',
  conformancePacks: 'AWS Config conformance packs',
  artifactReports: 'AWS Artifact report references',
  artifactAgreements: 'AWS Artifact agreements',
  attestations: 'Attestations',
  exceptions: 'Risk acceptances',
};

export interface PackFile extends FileEntry {
  description: string;
  /** An AWS Artifact report downloaded into the pack: AWS Confidential, referenced here and never reproduced. */
  confidential: boolean;
}

/**
 * The pack's files as its manifest lists them, each described: which evidence it holds, or for an
 * attachment, what it is attached to. Attachments are named by hash only, so this is how an auditor
 * knows which file backs which attestation, and which ones are AWS Artifact reports.
 */
export async function describePackFiles(pack: EvidencePack, manual: ManualEvidence): Promise<PackFile[]> {
  const byFile = new Map<string, string>(Object.entries(EVIDENCE_KINDS).map(([kind, { file }]) => [file, KIND_DESCRIPTIONS[kind as EvidenceKind]]));
  const attached = new Map<string, string[]>();
  const note = (sha256: string, text: string) => attached.set(sha256, [...(attached.get(sha256) ?? []), text]);
  for (const a of manual.attestations) for (const f of a.attachments) note(f.sha256, `${f.name} (attestation ${a.id})`);
  for (const e of manual.exceptions) for (const f of e.attachments) note(f.sha256, `${f.name} (risk acceptance ${e.id})`);
  const reports = new Set<string>();
  for await (const r of pack.records('artifactReports')) {
    if (!r.attachment) continue;
    reports.add(r.attachment.sha256);
    note(r.attachment.sha256, `AWS Artifact report "${r.name}" version ${r.version} (AWS Confidential: referenced, not reproduced)`);
  }
  return pack.manifest.files.map((f) => {
    const sha = f.path.startsWith(`${ATTACHMENTS_DIR}/`) ? f.path.slice(ATTACHMENTS_DIR.length + 1) : null;
    const description = sha !== null ? `Attachment: ${(attached.get(sha) ?? ['not referenced by any record']).join('; ')}` : (byFile.get(f.path) ?? 'Evidence file');
    return { ...f, description, confidential: sha !== null && reports.has(sha) };
  });
}
