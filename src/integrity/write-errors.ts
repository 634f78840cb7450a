import { AuditpackError } from '../errors';

/** Failures of the disk rather than of auditpack, in the words `df` and the user would use. */
const DISK_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};

/** A full or failing disk as one line naming `file` (as the user knows it); any other error as it is. */
export function writeFailure(file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  return code !== undefined && Object.hasOwn(DISK_FAILURES, code) ? new AuditpackError(`${file}: cannot write it: ${DISK_FAILURES[code]} (${code})`) : e;
}

/**
 * Runs a write of `file` (named as the user knows it, e.g. `csv/evidence.csv`) and turns a full or
 * failing disk into one line naming the file; stream errors carry no path of their own.
 */
export async function writing<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw writeFailure(file, e);
  }
}
