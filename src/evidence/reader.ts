import path from 'node:path';
import { AuditpackError } from '../errors';
import { digestBytes, FileCheckError, readListedFile } from '../integrity/files';
import { MANIFEST_FILE, readManifestBytes, verifyFiles, type Discrepancy } from '../integrity/verify';
import { parseJsonBytes } from '../util/json';
import { describeIssue } from '../util/zod';
import { readJsonLines } from './jsonl';
import { EVIDENCE_KINDS, EVIDENCE_KIND_NAMES, schemaOf, type EvidenceKind, type EvidenceRecord } from './kinds';
import { PACK_FORMAT, PACK_FORMAT_VERSION, PackManifest } from './manifest';
import { danglingAttachments, misnamedAttachments } from './references';

export interface EvidencePack {
  dir: string;
  manifest: PackManifest;
  /** SHA-256 of manifest.json: since the manifest hashes every file, this one value pins the pack. */
  manifestSha256: string;
  /**
   * Streams one kind's records, parsed from the very bytes that are hashed: if the file no
   * longer matches its manifest entry, the stream fails after its last record, so read it to
   * the end before trusting what it gave.
   */
  records<K extends EvidenceKind>(kind: K): AsyncGenerator<EvidenceRecord<K>>;
}

/**
 * Reads and validates a pack's manifest alone, without checking the files it lists: enough to
 * learn what a directory is (for example whether an existing pack is a sample).
 */
export async function readPackManifest(dir: string): Promise<{ manifest: PackManifest; bytes: Buffer }> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const bytes = await readManifestBytes(dir).catch((e: unknown) => {
    if (e instanceof FileCheckError && e.problem === 'missing') throw new AuditpackError(`${dir}: not an evidence pack (no ${MANIFEST_FILE})`);
    throw e;
  });
  const json = (parseJsonBytes(bytes, manifestPath) ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (json.format !== PACK_FORMAT) throw new AuditpackError(`${manifestPath}: not an evidence pack manifest (format is ${JSON.stringify(json.format)})`);
  if (typeof json.formatVersion === 'number' && json.formatVersion > PACK_FORMAT_VERSION) {
    throw new AuditpackError(`${manifestPath}: pack format version ${json.formatVersion} is newer than this auditpack reads (${PACK_FORMAT_VERSION}); upgrade auditpack`);
  }
  const parsed = PackManifest.safeParse(json);
  if (!parsed.success) throw new AuditpackError(`${manifestPath}: ${describeIssue(parsed.error)}`);
  const manifest = parsed.data;
  for (const kind of EVIDENCE_KIND_NAMES) {
    const entry = manifest.files.find((f) => f.path === EVIDENCE_KINDS[kind].file);
    if (!entry) throw new AuditpackError(`${manifestPath}: does not list ${EVIDENCE_KINDS[kind].file}`);
    // The count is checked against the file; without one, a report would print whatever the manifest claims.
    if (entry.records === null) throw new AuditpackError(`${manifestPath}: gives no record count for ${entry.path}`);
  }
  return { manifest, bytes };
}

function recordsOf(dir: string, manifest: PackManifest) {
  return <K extends EvidenceKind>(kind: K): AsyncGenerator<EvidenceRecord<K>> => {
    const entry = manifest.files.find((f) => f.path === EVIDENCE_KINDS[kind].file)!;
    return readJsonLines(readListedFile(dir, entry), path.join(dir, entry.path), schemaOf(kind));
  };
}

/**
 * Everything wrong with a pack: each file against its manifest entry (hash, size, record count,
 * a plain file inside the pack), files present but not listed, then, once the record files are
 * intact, attachments misnamed or cited by a record but absent. Empty means intact.
 */
export async function verifyPack(dir: string): Promise<Discrepancy[]> {
  return packProblems(dir, (await readPackManifest(dir)).manifest);
}

async function packProblems(dir: string, manifest: PackManifest): Promise<Discrepancy[]> {
  const problems = [...(await verifyFiles(dir, manifest.files)), ...misnamedAttachments(manifest)];
  if (problems.length) return problems.sort((a, b) => a.path.localeCompare(b.path));
  return danglingAttachments(manifest, recordsOf(dir, manifest));
}

/**
 * Opens an evidence pack for reading. Integrity is checked first (every file against its
 * manifest hash, every cited attachment present) so that nothing is ever assessed from evidence
 * altered after collection; every later read is checked again as it is parsed.
 */
export async function openPack(dir: string): Promise<EvidencePack> {
  const { manifest, bytes } = await readPackManifest(dir);
  const problems = await packProblems(dir, manifest);
  if (problems.length) {
    // A changed file's detail is two hashes: `auditpack verify` prints them.
    const list = problems.map((p) => `${p.path} (${p.problem === 'changed' ? p.problem : `${p.problem}: ${p.detail}`})`).join(', ');
    throw new AuditpackError(`${dir}: evidence does not match its manifest: ${list}; run \`auditpack verify ${dir}\` for details`);
  }
  return { dir, manifest, manifestSha256: digestBytes(bytes).sha256, records: recordsOf(dir, manifest) };
}
