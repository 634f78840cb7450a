import { AuditpackError } from '../errors';

/** Parses JSON that a user handed us, failing with `source: not valid JSON (...)`. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AuditpackError(`${source}: not valid JSON (${(e as Error).message})`);
  }
}
