import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { digestFile, FileEntry } from './files';

export const MANIFEST_FILE = 'manifest.json';
/** Signs the manifest's exact bytes, so it cannot be listed in the manifest (src/integrity/signature.ts). */
export const SIGNATURE_FILE = 'manifest.sig.json';

const AnyManifest = z.looseObject({ format: z.string(), files: z.array(FileEntry) });

export interface Discrepancy {
  path: string;
  problem: 'changed' | 'missing' | 'extra';
  detail: string;
}

/** Reads the `files` list of any auditpack manifest (pack or report), with precise errors. */
export async function readFileList(dir: string): Promise<{ format: string; files: FileEntry[] }> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AuditpackError(`${manifestPath}: not found; is ${dir} an auditpack pack or report folder?`);
    throw new AuditpackError(`${manifestPath}: cannot read (${code ?? String(e)})`);
  }
  const parsed = AnyManifest.safeParse(parseJson(text, manifestPath));
  if (!parsed.success) throw new AuditpackError(`${manifestPath}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/**
 * Recomputes every hash a folder's manifest lists and reports each file that changed, is
 * missing, or is present without being listed. An empty result means the folder is intact.
 */
export async function verifyFolder(dir: string): Promise<Discrepancy[]> {
  const { files } = await readFileList(dir);
  const listed = new Set(files.map((f) => f.path));
  const problems: Discrepancy[] = [];
  for (const entry of files) {
    const file = path.join(dir, entry.path);
    let actual;
    try {
      actual = await digestFile(file);
    } catch {
      problems.push({ path: entry.path, problem: 'missing', detail: 'listed in the manifest but not found' });
      continue;
    }
    if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) {
      problems.push({ path: entry.path, problem: 'changed', detail: `SHA-256 ${actual.sha256} (${actual.bytes} bytes), manifest says ${entry.sha256} (${entry.bytes} bytes)` });
    }
  }
  for (const rel of await listFiles(dir)) {
    if (rel !== MANIFEST_FILE && rel !== SIGNATURE_FILE && !listed.has(rel)) problems.push({ path: rel, problem: 'extra', detail: 'present but not listed in the manifest' });
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}
