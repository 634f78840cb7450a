import type { z } from 'zod';
import { AuditpackError } from '../errors';
import { decodeUtf8, findDuplicateKey } from '../util/json';
import { describeIssue } from '../util/zod';

/**
 * The longest line a pack may hold. Evidence records are small (an evaluation is a few hundred
 * bytes, AWS caps annotations and rule parameters at a few KB); the bound keeps a hostile file
 * from holding the whole of memory in one line.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Splits a byte stream into lines (without the `\n`), refusing one longer than MAX_LINE_BYTES. */
async function* splitLines(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  const tooLong = () => new AuditpackError(`${name}:${lineNo + 1}: line longer than ${MAX_LINE_BYTES} bytes; no evidence record is that long`);
  for await (const chunk of source) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (pendingBytes + end - start > MAX_LINE_BYTES) throw tooLong();
      const piece = chunk.subarray(start, end);
      yield pending.length ? Buffer.concat([...pending, piece]) : piece;
      lineNo++;
      pending = [];
      pendingBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) throw tooLong();
      pending.push(chunk.subarray(start));
    }
  }
  if (pendingBytes) yield Buffer.concat(pending);
}

/**
 * Parses a JSON Lines byte stream strictly, validating each line; the first bad line stops
 * reading with `name:line: what is wrong`. Strict means: UTF-8 only (no silent U+FFFD), no
 * duplicate keys, no blank lines (they usually mean a truncated write), lines bounded in length.
 * The caller passes the bytes it hashes (readListedFile), so what is parsed is what was verified.
 */
export async function* readJsonLines<T>(source: AsyncIterable<Buffer>, name: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  let lineNo = 0;
  for await (const bytes of splitLines(source, name)) {
    lineNo++;
    const line = decodeUtf8(bytes, `${name}:${lineNo}`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new AuditpackError(`${name}:${lineNo}: not valid JSON (${(e as Error).message})`);
    }
    const duplicate = findDuplicateKey(line);
    if (duplicate) throw new AuditpackError(`${name}:${lineNo}: duplicate key "${duplicate.key}"; a record names each field once`);
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AuditpackError(`${name}:${lineNo}: ${describeIssue(parsed.error)}`);
    yield parsed.data;
  }
}
