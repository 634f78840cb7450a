import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { AuditpackError } from '../errors';
import { MAX_ATTACHMENT_BYTES, mebibytes } from './bounds';

/**
 * The checks every attached file of manual evidence passes, whether `collect --attestations`
 * or `attest import` reads it: inside its folder once symbolic links are resolved (a link out
 * of it, to ~/.aws/credentials or /etc, would send that file to the assessors), a regular,
 * readable file, not too large; and, when it is read, still the very file that was checked.
 * Callers word what is wrong, each in its own terms.
 */

/** Where a path in a folder really leads, symbolic links resolved (of the file and of every folder on the way). */
type Resolved = { at: 'inside'; real: string } | { at: 'outside'; real: string } | { at: 'nowhere'; code: string };

export function resolveIn(root: string, file: string): Resolved {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    return { at: 'nowhere', code: errorCode(e) };
  }
  const relative = path.relative(root, real);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return { at: outside ? 'outside' : 'inside', real };
}

export const errorCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);

/** Opens a file without following a link at its end, nor blocking on a FIFO put in its place. */
const openForReading = (real: string) => openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);

/** A file that passed the checks. */
export interface ContainedFile {
  /** As the caller named it, resolved against the folder: what messages name. */
  file: string;
  /** Its real path (no symbolic links), inside the folder: what is read. */
  real: string;
  /** The file that was checked, so that one swapped in before it is read is refused. */
  identity: Pick<Stats, 'dev' | 'ino'>;
}

/** Why a file did not pass; `code` is the system's error code. */
export type ContainedFileProblem =
  | { problem: 'nowhere'; code: string }
  | { problem: 'outside'; real: string }
  | { problem: 'not-a-file' }
  | { problem: 'unreadable'; code: string }
  | { problem: 'too-large'; size: number };

/** How a file too large is described, after its name. */
export const tooLarge = (size: number) => `is ${mebibytes(size)}, larger than the ${mebibytes(MAX_ATTACHMENT_BYTES)} an attachment may be`;

/**
 * Checks `file` completely against the folder whose real path is `root`. With `hash`, the
 * SHA-256 of what was checked is read from the same open file (none for a file too large).
 */
export function checkContainedFile(root: string, file: string, { hash = false } = {}): ({ ok: true; sha256: string | null } & ContainedFile) | ({ ok: false } & ContainedFileProblem) {
  const where = resolveIn(root, file);
  if (where.at === 'nowhere') return { ok: false, problem: 'nowhere', code: where.code };
  if (where.at === 'outside') return { ok: false, problem: 'outside', real: where.real };
  const { real } = where;
  if (!statSync(real).isFile()) return { ok: false, problem: 'not-a-file' };
  let stats: Stats;
  let sha256: string | null = null;
  try {
    const fd = openForReading(real);
    try {
      stats = fstatSync(fd);
      if (hash && stats.size <= MAX_ATTACHMENT_BYTES) sha256 = sha256Of(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, problem: 'unreadable', code: errorCode(e) };
  }
  if (stats.size > MAX_ATTACHMENT_BYTES) return { ok: false, problem: 'too-large', size: stats.size };
  return { ok: true, file, real, identity: { dev: stats.dev, ino: stats.ino }, sha256 };
}

/** The SHA-256 of an open file, read from its start in 1 MiB blocks. */
function sha256Of(fd: number): string {
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(1024 ** 2);
  for (let n: number, at = 0; (n = readSync(fd, block, 0, block.length, at)) > 0; at += n) hash.update(block.subarray(0, n));
  return hash.digest('hex');
}

/**
 * Opens a checked file to read it; refuses one that cannot be opened or is no longer the file
 * checked (`command` is what to run again). The caller closes the descriptor (a stream on it does).
 */
export function openChecked(a: ContainedFile, command: string): number {
  let fd: number;
  try {
    fd = openForReading(a.real);
  } catch (e) {
    throw new AuditpackError(`${a.file}: cannot read (${errorCode(e)})`);
  }
  const now = fstatSync(fd);
  if (!now.isFile() || now.dev !== a.identity.dev || now.ino !== a.identity.ino) {
    closeSync(fd);
    throw new AuditpackError(`${a.file}: replaced since it was checked; run ${command} again`);
  }
  return fd;
}
