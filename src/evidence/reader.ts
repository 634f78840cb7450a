import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../errors';
import { digestBytes } from '../integrity/files';
import { MANIFEST_FILE, verifyFolder } from '../integrity/verify';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { readJsonLines } from './jsonl';
import { EVIDENCE_KINDS, EVIDENCE_KIND_NAMES, schemaOf, type EvidenceKind, type EvidenceRecord } from './kinds';
import { PACK_FORMAT, PACK_FORMAT_VERSION, PackManifest } from './manifest';

export interface EvidencePack {
  dir: string;
  manifest: PackManifest;
  /** SHA-256 of manifest.json: since the manifest hashes every file, this one value pins the pack. */
  manifestSha256: string;
  records<K extends EvidenceKind>(kind: K): AsyncGenerator<EvidenceRecord<K>>;
}

/**
 * Reads and validates a pack's manifest alone, without checking the files it lists: enough to
 * learn what a directory is (for example whether an existing pack is a sample).
 */
export async function readPackManifest(dir: string): Promise<{ manifest: PackManifest; bytes: Buffer }> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(manifestPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AuditpackError(code === 'ENOENT' || code === 'ENOTDIR' ? `${dir}: not an evidence pack (no ${MANIFEST_FILE})` : `${manifestPath}: cannot read (${code})`);
  }
  const json = (parseJson(bytes.toString('utf8'), manifestPath) ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (json.format !== PACK_FORMAT) throw new AuditpackError(`${manifestPath}: not an evidence pack manifest (format is ${JSON.stringify(json.format)})`);
  if (typeof json.formatVersion === 'number' && json.formatVersion > PACK_FORMAT_VERSION) {
    throw new AuditpackError(`${manifestPath}: pack format version ${json.formatVersion} is newer than this auditpack reads (${PACK_FORMAT_VERSION}); upgrade auditpack`);
  }
  const parsed = PackManifest.safeParse(json);
  if (!parsed.success) throw new AuditpackError(`${manifestPath}: ${describeIssue(parsed.error)}`);
  const manifest = parsed.data;
  const listed = new Set(manifest.files.map((f) => f.path));
  const unlisted = EVIDENCE_KIND_NAMES.find((k) => !listed.has(EVIDENCE_KINDS[k].file));
  if (unlisted) throw new AuditpackError(`${manifestPath}: does not list ${EVIDENCE_KINDS[unlisted].file}`);
  return { manifest, bytes };
}

/**
 * Opens an evidence pack for reading. Integrity is checked first (every file against its
 * manifest hash) so that nothing is ever assessed from evidence altered after collection.
 */
export async function openPack(dir: string): Promise<EvidencePack> {
  const { manifest, bytes } = await readPackManifest(dir);
  const problems = await verifyFolder(dir);
  if (problems.length) {
    const list = problems.map((p) => `${p.path} (${p.problem})`).join(', ');
    throw new AuditpackError(`${dir}: evidence does not match its manifest: ${list}; run \`auditpack verify ${dir}\` for details`);
  }

  return {
    dir,
    manifest,
    manifestSha256: digestBytes(bytes).sha256,
    records: <K extends EvidenceKind>(kind: K) =>
      readJsonLines(path.join(dir, EVIDENCE_KINDS[kind].file), schemaOf(kind)),
  };
}
