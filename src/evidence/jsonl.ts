import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { AuditpackError } from '../errors';
import { describeIssue } from '../util/zod';

/**
 * Streams a JSON Lines file, validating each line; the first bad line stops reading with
 * `file:line: what is wrong`. Blank lines are not allowed: they usually mean a truncated write.
 */
export async function* readJsonLines<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new AuditpackError(`${file}:${lineNo}: not valid JSON (${(e as Error).message})`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new AuditpackError(`${file}:${lineNo}: ${describeIssue(parsed.error)}`);
      yield parsed.data;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AuditpackError(`${file}: file is missing`);
    throw e;
  } finally {
    lines.close();
  }
}
