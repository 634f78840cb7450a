import { AuditpackError } from '../errors';

/**
 * Where a JSON text holds an object with the same key twice. JSON.parse keeps the last one
 * silently: in evidence, a second `complianceType` could turn NON_COMPLIANT into COMPLIANT with
 * nothing for a schema to see. Runs on text JSON.parse has accepted, so it only tracks strings
 * and brackets. Keys compare after unescaping (`"a"` and `"\u0061"` are one key).
 */
export function findDuplicateKey(text: string): { key: string; offset: number } | null {
  // One entry per open bracket: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      let escaped = false;
      for (i++; text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) {
          escaped = true;
          i++;
        }
      }
      if (!expectKey) continue;
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      const keys = open[open.length - 1]!;
      if (keys.has(key)) return { key, offset: start };
      keys.add(key);
      expectKey = false;
    } else if (c === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      open.push(null);
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = open[open.length - 1] != null;
    }
  }
  return null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, refusing invalid sequences instead of turning them into U+FFFD unnoticed. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new AuditpackError(`${source}: not valid UTF-8`);
  }
}

/** Parses JSON that a user handed us, failing with `source: not valid JSON (...)` or `source:line: duplicate key "k"`. */
export function parseJson(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AuditpackError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const line = text.slice(0, duplicate.offset).split('\n').length;
    throw new AuditpackError(`${source}:${line}: duplicate key "${duplicate.key}"`);
  }
  return value;
}

/** parseJson for a file's raw bytes: invalid UTF-8 is an error, not silently replaced. */
export function parseJsonBytes(bytes: Uint8Array, source: string): unknown {
  return parseJson(decodeUtf8(bytes, source), source);
}
