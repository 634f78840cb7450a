import { ATTACHMENTS_DIR, EVIDENCE_KINDS, type EvidenceKind } from '../evidence/kinds';
import type { ArtifactReport } from '../evidence/records';
import type { FileEntry } from '../integrity/files';
import type { ManualAttestation, ManualException, PackFileEntry } from './result';

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

/**
 * The pack's files as its manifest lists them, each described: which evidence it holds, or for an
 * attachment, what it is attached to. Attachments are named by hash only, so this is how an auditor
 * knows which file backs which attestation, and which ones are AWS Artifact reports.
 */
export function describePackFiles(
  files: readonly FileEntry[],
  manual: { attestations: readonly ManualAttestation[]; exceptions: readonly ManualException[] },
  reports: readonly ArtifactReport[],
): PackFileEntry[] {
  const byFile = new Map<string, string>(Object.entries(EVIDENCE_KINDS).map(([kind, { file }]) => [file, KIND_DESCRIPTIONS[kind as EvidenceKind]]));
  const attached = new Map<string, string[]>();
  const note = (sha256: string, text: string) => attached.set(sha256, [...(attached.get(sha256) ?? []), text]);
  for (const a of manual.attestations) for (const f of a.attachments) note(f.sha256, `${f.name} (attestation ${a.id})`);
  for (const e of manual.exceptions) for (const f of e.attachments) note(f.sha256, `${f.name} (risk acceptance ${e.id})`);
  const confidential = new Set<string>();
  for (const r of reports) {
    if (!r.attachment) continue;
    confidential.add(r.attachment.sha256);
    note(r.attachment.sha256, `AWS Artifact report "${r.name}" version ${r.version} (AWS Confidential: referenced, not reproduced)`);
  }
  return files.map((f) => {
    const sha = f.path.startsWith(`${ATTACHMENTS_DIR}/`) ? f.path.slice(ATTACHMENTS_DIR.length + 1) : null;
    const description = sha !== null ? `Attachment: ${(attached.get(sha) ?? ['not referenced by any record']).join('; ')}` : (byFile.get(f.path) ?? 'Evidence file');
    return { path: f.path, sha256: f.sha256, bytes: f.bytes, records: f.records, description, confidential: sha !== null && confidential.has(sha) };
  });
}
