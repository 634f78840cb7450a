import type { Discrepancy } from '../integrity/verify';
import { ATTACHMENTS_DIR, EVIDENCE_KINDS, type EvidenceKind, type EvidenceRecord } from './kinds';
import type { PackManifest } from './manifest';

/** A stored file a record cites: by its SHA-256 and size, under a name meant for people. */
interface Citation {
  who: string;
  name: string;
  sha256: string;
  bytes: number;
}

/** The record kinds that cite attachments, and how each names what it cites. */
type Citing = 'attestations' | 'exceptions' | 'artifactReports';
const CITATIONS: { [K in Citing]: (r: EvidenceRecord<K>) => Citation[] } = {
  attestations: (a) => a.attachments.map((f) => ({ who: `attestation "${a.id}"`, ...f })),
  exceptions: (e) => e.attachments.map((f) => ({ who: `risk acceptance "${e.id}"`, ...f })),
  artifactReports: (r) => (r.attachment ? [{ who: `AWS Artifact report "${r.id}"`, name: r.name, ...r.attachment }] : []),
};

/** Files under attachments/ are named by the SHA-256 of their content, so each is stored once. */
export function misnamedAttachments(manifest: PackManifest): Discrepancy[] {
  return manifest.files
    .filter((f) => f.path.startsWith(`${ATTACHMENTS_DIR}/`) && f.path !== `${ATTACHMENTS_DIR}/${f.sha256}`)
    .map((f) => ({ path: f.path, problem: 'misnamed', detail: `content has SHA-256 ${f.sha256}; an attachment is stored under the SHA-256 of its content` }));
}

/**
 * Each attachment a record cites must be in the pack, under its hash and with its size: an
 * attestation whose file is missing is not evidence. `records` reads a kind (verified while read).
 */
export async function danglingAttachments(
  manifest: PackManifest,
  records: <K extends EvidenceKind>(kind: K) => AsyncIterable<EvidenceRecord<K>>,
): Promise<Discrepancy[]> {
  const stored = new Map(manifest.files.map((f) => [f.path, f.bytes]));
  const problems: Discrepancy[] = [];
  const check = (kind: EvidenceKind, c: Citation) => {
    const rel = `${ATTACHMENTS_DIR}/${c.sha256}`;
    const bytes = stored.get(rel);
    if (bytes === c.bytes) return;
    const why = bytes === undefined ? 'which is not in the pack' : `which holds ${bytes} bytes, not ${c.bytes}`;
    problems.push({ path: EVIDENCE_KINDS[kind].file, problem: 'dangling', detail: `${c.who} cites attachment "${c.name}" (${rel}), ${why}` });
  };
  for await (const r of records('attestations')) for (const c of CITATIONS.attestations(r)) check('attestations', c);
  for await (const r of records('exceptions')) for (const c of CITATIONS.exceptions(r)) check('exceptions', c);
  for await (const r of records('artifactReports')) for (const c of CITATIONS.artifactReports(r)) check('artifactReports', c);
  return problems;
}
