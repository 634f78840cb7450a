import { createHash } from 'node:crypto';
import { constants, createReadStream, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';

/**
 * A manifest path is canonical: relative, `/`-separated, with no empty, `.` or `..` segment and
 * no backslash or NUL. `config/./rules.jsonl` names the same file as `config/rules.jsonl`, so a
 * manifest could otherwise list one file twice, or a file and a second "file" that is the same.
 */
function isCanonicalPath(p: string): boolean {
  return p.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\\\0]/.test(segment));
}

/**
 * Both evidence packs and report folders carry a manifest.json whose `files` list hashes every
 * other file in the folder; `auditpack verify` needs nothing else to check either.
 */
export const FileEntry = z.strictObject({
  path: z.string().min(1).refine(isCanonicalPath, 'must be a canonical relative path inside the folder (no leading /, no empty, "." or ".." segment)'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  bytes: z.number().int().nonnegative(),
  /** Number of records for JSON Lines and CSV files (CSV: data rows); null for other files. */
  records: z.number().int().nonnegative().nullable(),
});
export type FileEntry = z.infer<typeof FileEntry>;

/** A manifest's `files`: each path at most once. */
export const FileList = z.array(FileEntry).superRefine((files, ctx) => {
  const seen = new Set<string>();
  files.forEach((f, i) => {
    if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: [i, 'path'], message: `"${f.path}" is listed more than once` });
    seen.add(f.path);
  });
});

export interface Digest {
  sha256: string;
  bytes: number;
}

/** Hashes a file this process wrote itself (a report being rendered); files handed to us are read with readListedFile. */
export async function digestFile(file: string): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function digestBytes(data: Buffer | string): Digest {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
}

/** What is wrong with a file a manifest lists. */
export type FileProblem = 'missing' | 'unreadable' | 'unsafe' | 'changed' | 'miscounted';

/** A listed file that cannot be trusted: `problem` says which way, the message names the file. */
export class FileCheckError extends AuditpackError {
  constructor(
    readonly file: string,
    readonly problem: FileProblem,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/**
 * Opens `rel` inside `dir` for reading, refusing a symbolic link on the way (which could lead out
 * of the folder) and anything but a regular file at the end (a FIFO or device could serve
 * different bytes to every read, or never end). Parent directories are checked with lstat; the
 * file itself is opened without following a link and without blocking, then checked on the open
 * descriptor, so what is checked is what is read.
 */
export async function openInside(dir: string, rel: string): Promise<FileHandle> {
  const file = path.join(dir, rel);
  const segments = rel.split('/');
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/');
    const stat = await lstat(path.join(dir, parent)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new FileCheckError(file, 'missing', 'listed in the manifest but not found');
      throw new FileCheckError(file, 'unreadable', `cannot be read (${e.code ?? e.message})`);
    });
    if (stat.isSymbolicLink()) throw new FileCheckError(file, 'unsafe', `${parent} is a symbolic link; a pack or report folder holds only plain files and directories`);
    if (!stat.isDirectory()) throw new FileCheckError(file, 'missing', `listed in the manifest but ${parent} is not a directory`);
  }
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileCheckError(file, 'missing', 'listed in the manifest but not found');
    if (code === 'ELOOP') throw new FileCheckError(file, 'unsafe', 'is a symbolic link; a pack or report folder holds only plain files');
    throw new FileCheckError(file, 'unreadable', `cannot be read (${code ?? String(e)})`);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new FileCheckError(file, 'unsafe', `is not a regular file (${kindOf(stat)}); a pack or report folder holds only plain files`);
  }
  return handle;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

interface RecordCounter {
  update(chunk: Buffer): void;
  total(): number;
}

/**
 * Counts the records of the file kinds whose manifest entry carries a count: JSON Lines (one per
 * line) and CSV (data rows after the header; a line break inside a quoted field is not a row).
 */
function counterFor(rel: string): RecordCounter | null {
  const csv = rel.endsWith('.csv');
  if (!csv && !rel.endsWith('.jsonl')) return null;
  let ends = 0;
  let last = -1;
  let quoted = false;
  return {
    update(chunk: Buffer): void {
      if (csv) {
        for (let i = 0; i < chunk.length; i++) {
          const c = chunk[i];
          if (c === 0x22) quoted = !quoted;
          else if (c === 0x0a && !quoted) ends++;
        }
      } else {
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) ends++;
      }
      if (chunk.length) last = chunk[chunk.length - 1];
    },
    total(): number {
      // A last line without a line end is a line too.
      const lines = ends + (last !== -1 && last !== 0x0a ? 1 : 0);
      return csv ? Math.max(lines - 1, 0) : lines;
    },
  };
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Streams the bytes of a file a manifest lists, hashing and counting them on the way: the bytes
 * a caller parses are the bytes that were hashed. Reading stops one byte past the manifest's
 * size (that byte shows the file grew; /dev/zero-like files never end). After the last chunk the
 * generator throws FileCheckError if the file differs from its entry, so whatever the caller
 * made from the chunks must be discarded: read to the end before trusting the result.
 */
export async function* readListedFile(dir: string, entry: FileEntry): AsyncGenerator<Buffer> {
  const file = path.join(dir, entry.path);
  const counter = entry.records === null ? null : counterFor(entry.path);
  if (entry.records !== null && !counter) throw new FileCheckError(file, 'miscounted', `the manifest gives ${entry.records} records for a file that has none (only JSON Lines and CSV files do)`);
  const handle = await openInside(dir, entry.path);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const limit = entry.bytes + 1;
    while (bytes < limit) {
      // A fresh buffer per chunk: callers may keep a chunk (a line split across reads).
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit - bytes));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      bytes += bytesRead;
      if (bytes > entry.bytes) throw new FileCheckError(file, 'changed', `larger than the ${entry.bytes} bytes the manifest gives`);
      hash.update(data);
      counter?.update(data);
      yield data;
    }
  } finally {
    await handle.close();
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== entry.sha256 || bytes !== entry.bytes) {
    throw new FileCheckError(file, 'changed', `SHA-256 ${sha256} (${bytes} bytes), manifest says ${entry.sha256} (${entry.bytes} bytes)`);
  }
  if (counter && counter.total() !== entry.records) {
    throw new FileCheckError(file, 'miscounted', `holds ${counter.total()} records, manifest says ${entry.records}`);
  }
}
