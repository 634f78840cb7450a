/**
 * The rules CISO Assistant's loader applies to a framework library file, written from its code
 * (intuitem/ciso-assistant-community: `StoredLibrary.store_library_content` and `URN_REGEX` in
 * backend/core/models.py, `LibraryImporter`, `FrameworkImporter` and `RequirementNodeImporter` in
 * backend/library/utils.py) plus what its models and audit import rely on (unique URNs, a
 * requirement's ref_id naming one requirement). docs/ciso-assistant.md lists them.
 * It checks the parsed YAML, so what is checked is what CISO Assistant reads.
 */

/** CISO Assistant's URN_REGEX: `urn:<namespace>:risk:<object type>[:<framework>]:<name>`. */
export const CISO_ASSISTANT_URN = /^urn:([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_-]+))?:([0-9A-Za-z[\]()\-._:]+)$/;
/** The length of the `urn` column of its referential objects. */
const URN_MAX = 255;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Python's truthiness, which `validate_object` and the required-field checks use. */
const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== '' && v !== 0 && !(Array.isArray(v) && !v.length);

function checkUrn(problems: string[], where: string, urn: unknown): urn is string {
  if (typeof urn !== 'string') {
    problems.push(`${where}: urn is missing or not text`);
    return false;
  }
  if (!CISO_ASSISTANT_URN.test(urn.toLowerCase())) problems.push(`${where}: urn "${urn}" does not match CISO Assistant's URN pattern`);
  if (urn.length > URN_MAX) problems.push(`${where}: urn is ${urn.length} characters, more than ${URN_MAX}`);
  if (urn !== urn.toLowerCase()) problems.push(`${where}: urn "${urn}" is not lower case (CISO Assistant lowercases URNs, so references would not match as written)`);
  return true;
}

const TEXT_FIELDS = ['ref_id', 'name', 'description', 'annotation'] as const;

/** Every way `library` breaks the loader's rules; empty when it loads. */
export function libraryProblems(library: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(library)) return ['the library is not a mapping'];
  for (const field of ['urn', 'name', 'version', 'objects', 'ref_id']) if (!(field in library)) problems.push(`library: missing required field ${field}`);
  checkUrn(problems, 'library', library.urn);
  if (!(typeof library.version === 'number' && Number.isInteger(library.version)) && !(typeof library.version === 'string' && /^\d+$/.test(library.version))) problems.push('library: version is not an integer');
  if (library.locale !== undefined && typeof library.locale !== 'string') problems.push('library: locale is not text');
  const objects = library.objects;
  if (!isObject(objects)) return [...problems, 'library: objects is not a mapping'];
  if ('framework' in objects && 'frameworks' in objects) problems.push("library: objects has both 'framework' and 'frameworks'");
  const framework = objects.framework;
  if (!isObject(framework)) return [...problems, 'library: objects.framework is not a mapping'];
  for (const field of ['ref_id', 'urn']) if (!(field in framework)) problems.push(`framework: missing required field ${field}`);
  checkUrn(problems, 'framework', framework.urn);
  const nodes = framework.requirement_nodes;
  if (!Array.isArray(nodes) || !nodes.length) return [...problems, 'framework: requirement_nodes is missing or empty'];

  const depthOf = new Map<string, number>();
  const refIds = new Map<string, number>();
  nodes.forEach((node: unknown, i) => {
    const where = `requirement node ${i + 1}`;
    if (!isObject(node)) {
      problems.push(`${where}: not a mapping`);
      return;
    }
    if (!checkUrn(problems, where, node.urn)) return;
    const urn = node.urn.toLowerCase();
    if (depthOf.has(urn)) problems.push(`${where}: urn "${urn}" is used twice`);
    if (typeof node.assessable !== 'boolean') problems.push(`${where}: assessable is not true or false`);
    for (const field of TEXT_FIELDS) if (field in node && typeof node[field] !== 'string') problems.push(`${where}: ${field} is not text`);
    if (!truthy(node.name) && !truthy(node.ref_id) && !truthy(node.description)) problems.push(`${where}: has neither ref_id, name nor description, so CISO Assistant would show it blank`);
    let expected = 1;
    if (node.parent_urn !== undefined) {
      const parent = typeof node.parent_urn === 'string' ? depthOf.get(node.parent_urn.toLowerCase()) : undefined;
      if (parent === undefined) problems.push(`${where}: parent_urn "${String(node.parent_urn)}" is not an earlier node`);
      else expected = parent + 1;
    }
    if (node.depth !== expected) problems.push(`${where}: depth ${String(node.depth)}, expected ${expected} from its parent`);
    if (node.assessable === true && typeof node.ref_id === 'string') {
      // The audit import finds a requirement by ref_id first, taking the first match.
      if (refIds.has(node.ref_id)) problems.push(`${where}: ref_id "${node.ref_id}" is also requirement node ${refIds.get(node.ref_id)! + 1}'s`);
      refIds.set(node.ref_id, i);
    }
    depthOf.set(urn, typeof node.depth === 'number' ? node.depth : expected);
  });
  return problems;
}

/** Refuses to write a library the loader would reject: that would be a bug in auditpack. */
export function assertLoadableLibrary(file: string, library: unknown): void {
  const problems = libraryProblems(library);
  if (problems.length) throw new Error(`auditpack bug: ${file} would not load into CISO Assistant: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
}
