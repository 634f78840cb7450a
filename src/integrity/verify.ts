import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import { parseJsonBytes } from '../util/json';
import { describeIssue } from '../util/zod';
import { FileCheckError, FileList, openInside, readListedFile, type FileEntry, type FileProblem } from './files';

export const MANIFEST_FILE = 'manifest.json';
/** Signs the manifest's exact bytes, so it cannot be listed in the manifest (src/integrity/signature.ts). */
export const SIGNATURE_FILE = 'manifest.sig.json';

/** Far above any real manifest (a pack with 100,000 attachments has one of about 20 MB). */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

const AnyManifest = z.looseObject({ format: z.string(), files: FileList });

export interface Discrepancy {
  path: string;
  /** File problems, plus `extra` (present, not listed) and the evidence pack's reference problems. */
  problem: FileProblem | 'extra' | 'dangling' | 'misnamed';
  detail: string;
}

/**
 * Reads a folder's manifest.json with the same care as the files it lists: a plain file inside
 * the folder (not a link, FIFO or device), bounded in size. A missing one is a FileCheckError
 * with problem `missing`, for the caller to say what the folder should have been.
 */
export async function readManifestBytes(dir: string): Promise<Buffer> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const handle = await openInside(dir, MANIFEST_FILE);
  try {
    const { size } = await handle.stat();
    if (size > MAX_MANIFEST_BYTES) throw new AuditpackError(`${manifestPath}: ${size} bytes, more than the ${MAX_MANIFEST_BYTES} a manifest may have`);
    // One byte more than its size shows a file that grows while it is read.
    const buffer = Buffer.alloc(size + 1);
    let read = 0;
    for (let n = -1; n !== 0 && read < buffer.length; read += n) n = (await handle.read(buffer, read, buffer.length - read, null)).bytesRead;
    if (read > size) throw new AuditpackError(`${manifestPath}: changed while being read`);
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** Reads the `files` list of any auditpack manifest (pack or report), with precise errors. */
export async function readFileList(dir: string): Promise<{ format: string; files: FileEntry[] }> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const bytes = await readManifestBytes(dir).catch((e: unknown) => {
    if (e instanceof FileCheckError && e.problem === 'missing') throw new AuditpackError(`${manifestPath}: not found; is ${dir} an auditpack pack or report folder?`);
    throw e;
  });
  const parsed = AnyManifest.safeParse(parseJsonBytes(bytes, manifestPath));
  if (!parsed.success) throw new AuditpackError(`${manifestPath}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** Every entry under `dir`, relative; a link or special file is listed, never followed. */
async function listEntries(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listEntries(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Reads one listed file to its end through readListedFile; null when it matches its entry. */
async function checkFile(dir: string, entry: FileEntry): Promise<Discrepancy | null> {
  try {
    for await (const _ of readListedFile(dir, entry));
    return null;
  } catch (e) {
    if (e instanceof FileCheckError) return { path: entry.path, problem: e.problem, detail: e.detail };
    throw e;
  }
}

/**
 * Recomputes every hash a folder's manifest lists and reports each file that changed, is
 * missing, is not a plain file inside the folder, holds another number of records than listed,
 * or is present without being listed. An empty result means the folder is intact.
 */
export async function verifyFolder(dir: string): Promise<Discrepancy[]> {
  return verifyFiles(dir, (await readFileList(dir)).files);
}

/** verifyFolder against a file list already read (so a caller checks the manifest it holds, not a second read of it). */
export async function verifyFiles(dir: string, files: readonly FileEntry[]): Promise<Discrepancy[]> {
  const listed = new Set(files.map((f) => f.path));
  const problems: Discrepancy[] = [];
  for (const entry of files) {
    const problem = await checkFile(dir, entry);
    if (problem) problems.push(problem);
  }
  for (const rel of await listEntries(dir)) {
    if (rel !== MANIFEST_FILE && rel !== SIGNATURE_FILE && !listed.has(rel)) problems.push({ path: rel, problem: 'extra', detail: 'present but not listed in the manifest' });
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}
