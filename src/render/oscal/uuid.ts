import { createHash } from 'node:crypto';

/** RFC 4122's name space for URLs (appendix C). */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based UUID (version 5, SHA-1) per RFC 4122 section 4.3: the same name always gives the same UUID. */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** auditpack's OSCAL namespace URI: the `ns` of its props, and the seed of its UUIDs. */
export const AUDITPACK_NS = 'https://auditpack.dev/ns/oscal';

/** The name space of every UUID in an export: the UUIDv5 of auditpack's namespace URI in the URL name space. */
const EXPORT_NAMESPACE = uuidV5(URL_NAMESPACE, AUDITPACK_NS);

/**
 * The UUID of one object of an export, from the pack id and the object's path in it (e.g.
 * `finding/ism-0974`): re-exporting a pack gives every object the same UUID, and objects of
 * different packs never share one.
 */
export function exportUuid(packId: string, ...path: string[]): string {
  return uuidV5(EXPORT_NAMESPACE, [packId, ...path].join('/'));
}
