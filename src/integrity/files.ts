import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';

/**
 * Both evidence packs and report folders carry a manifest.json whose `files` list hashes every
 * other file in the folder; `auditpack verify` needs nothing else to check either.
 */
export const FileEntry = z.strictObject({
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path inside the folder'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  bytes: z.number().int().nonnegative(),
  /** Number of records for JSON Lines and CSV files (CSV: data rows); null for other files. */
  records: z.number().int().nonnegative().nullable(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export interface Digest {
  sha256: string;
  bytes: number;
}

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
