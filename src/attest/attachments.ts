import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AuditpackError } from '../errors';
import { LimitExceededError, limitedRead, MAX_ATTACHMENT_BYTES } from '../collect/bounds';
import { checkContainedFile, errorCode, openChecked, tooLarge, type ContainedFile } from '../collect/contained-file';

/**
 * The files an Attachments cell names, found in the attachments folder and checked as
 * `collect --attestations` checks an attachment (inside the folder, symbolic links included;
 * a regular, readable file; not too large), so that what import writes collect accepts.
 */

/** A checked attachment; `file` is where it was found. */
export interface SourceAttachment extends ContainedFile {
  /** As the cell names it, with forward slashes and no `.` or `..` steps: its path under the attestation's folder. */
  name: string;
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
  const checked = checkContainedFile(root, path.join(dir, name));
  if (checked.ok) return { name, file: checked.file, real: checked.real, identity: checked.identity };
  switch (checked.problem) {
    case 'nowhere':
      return checked.code === 'ENOENT' ? `is not in ${dir}` : `cannot be read (${checked.code})`;
    case 'outside':
      return `leads to ${checked.real}, outside ${dir}`;
    case 'not-a-file':
      return 'is not a regular file';
    case 'unreadable':
      return `cannot be read (${checked.code})`;
    case 'too-large':
      return tooLarge(checked.size);
  }
}

/** Copies a checked attachment to `dest` (a new file), hashing it on the way; returns its SHA-256. */
export async function copyAttachment(a: SourceAttachment, dest: string): Promise<string> {
  const fd = openChecked(a, 'attest import');
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
    throw new AuditpackError(`${a.file}: cannot copy to ${dest} (${errorCode(e)})`);
  }
  return hash.digest('hex');
}
