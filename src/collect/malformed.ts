import { schemaOf, type EvidenceKind, type EvidenceRecord } from '../evidence/kinds';
import { describeIssue } from '../util/zod';

/**
 * An AWS answer that lacks what the API documents (a missing field, a value outside its enum,
 * unparseable JSON). It is recorded as a gap: evidence is never guessed from a broken answer.
 */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponse';
}

/** The record built from an AWS answer, checked against the pack schema before it is kept. */
export function checked<K extends EvidenceKind>(kind: K, candidate: unknown, what: string): EvidenceRecord<K> {
  const parsed = schemaOf(kind).safeParse(candidate);
  if (!parsed.success) throw new MalformedResponseError(`${what}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** An ISO 8601 timestamp from the SDK's Date (or a restJson string), or null when absent. */
export function isoTimestamp(value: Date | string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new MalformedResponseError(`not a timestamp: ${JSON.stringify(value)}`);
  return date.toISOString();
}

/** The JSON text an API returns inside a string field (Config's InputParameters, query results). */
export function parseEmbeddedJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedResponseError(`${what}: not valid JSON`);
  }
}
