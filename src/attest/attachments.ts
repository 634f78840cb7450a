import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fstatSync, statSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AuditpackError } from '../errors';
import { LimitExceededError, limitedRead, MAX_ATTACHMENT_BYTES, mebibytes } from '../collect/bounds';
import { openForReading, resolveIn } from '../collect/manual';

/**
 * The files an Attachments cell names, found in the attachments folder and checked as
 * `collect --attestations` checks an attachment (inside the folder, symbolic links included;
 * a regular, readable file; not too large), so that what import writes collect accepts.
 */

/** A checked attachment. */
export interface SourceAttachment {
  /** As the cell names it, with forward slashes and no `.` or `..` steps: its path under the attestation's folder. */
  name: string;
  /** Where it was found, for messages. */
  file: string;
  /** Its real path (no symbolic links), inside the folder: what is read. */
  real: string;
  /** The file that was checked, so that one swapped in before the copy is refused. */
  identity: Pick<Stats, 'dev' | 'ino'>;
}

/** An attachments folder: as given, and its real path, which every attachment must be inside. */
export interface AttachmentsFolder {
  dir: string;
  root: string;
}

/**
 * The checked files of an Attachments cell (`at` names it), or a problem line for each name that
 * is absolute, leads outside the folder, is missing, is not a regular file, or is too large.
 * A backslash separates folders too, as in a name typed on Windows.
 */
export function resolveAttachments(names: readonly string[], folder: AttachmentsFolder, at: string): { attachments: SourceAttachment[]; problems: string[] } {
  const attachments: SourceAttachment[] = [];
  const problems: string[] = [];
  for (const written of names) {
    const checked = resolveOne(written, folder);
    if (typeof checked === 'string') problems.push(`${at}: attachment "${written}" ${checked}`);
    else if (attachments.some((a) => a.name === checked.name)) problems.push(`${at}: attachment "${written}" is named twice`);
    else attachments.push(checked);
  }
  return { attachments, problems };
}

/** The checked file, or what is wrong with the name. */
function resolveOne(written: string, { dir, root }: AttachmentsFolder): SourceAttachment | string {
  const slashed = written.replace(/\\/g, '/');
  if (path.posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(slashed)) return `is an absolute path; give its name in ${dir}`;
  const name = path.posix.normalize(slashed);
  if (name === '..' || name.startsWith('../')) return `is outside ${dir}`;
  const file = path.join(dir, name);
  const where = resolveIn(root, file);
  if (where.at === 'nowhere') return where.code === 'ENOENT' ? `is not in ${dir}` : `cannot be read (${where.code})`;
  if (where.at === 'outside') return `leads to ${where.real}, outside ${dir}`;
  if (!statSync(where.real).isFile()) return 'is not a regular file';
  let stats: Stats;
  try {
    const fd = openForReading(where.real);
    stats = fstatSync(fd);
    closeSync(fd);
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  if (stats.size > MAX_ATTACHMENT_BYTES) return `is ${mebibytes(stats.size)}, larger than the ${mebibytes(MAX_ATTACHMENT_BYTES)} an attachment may be`;
  return { name, file, real: where.real, identity: { dev: stats.dev, ino: stats.ino } };
}

/** Copies a checked attachment to `dest` (a new file), hashing it on the way; returns its SHA-256. */
export async function copyAttachment(a: SourceAttachment, dest: string): Promise<string> {
  let fd: number;
  try {
    fd = openForReading(a.real);
  } catch (e) {
    throw new AuditpackError(`${a.file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const now = fstatSync(fd);
  if (!now.isFile() || now.dev !== a.identity.dev || now.ino !== a.identity.ino) {
    closeSync(fd);
    throw new AuditpackError(`${a.file}: replaced since it was checked; run attest import again`);
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const hash = createHash('sha256');
  try {
    await pipeline(
      limitedRead(createReadStream('', { fd }), MAX_ATTACHMENT_BYTES, a.file),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(dest, { flags: 'wx' }),
    );
  } catch (e) {
    if (e instanceof LimitExceededError) throw new AuditpackError(`${e.message}: it grew since it was checked`);
    throw new AuditpackError(`${a.file}: cannot copy to ${dest} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return hash.digest('hex');
}
