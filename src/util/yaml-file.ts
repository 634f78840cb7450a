import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { AuditpackError } from '../errors';

/** A YAML file parsed and validated, able to say on which line any value was written. */
export class YamlFile<T> {
  private constructor(
    readonly file: string,
    readonly data: T,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static load<S extends z.ZodType>(file: string, schema: S): YamlFile<z.infer<S>> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AuditpackError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const syntax = doc.errors[0];
    if (syntax) {
      // Without prettyErrors the parser leaves linePos unset; its offset still says where the fault is.
      const line = lines.linePos(syntax.pos[0]).line;
      throw new AuditpackError(`${file}:${line}: ${syntax.message.split('\n')[0]}`);
    }
    const parsed = schema.safeParse(toPlain(file, doc));
    const holder = new YamlFile(file, undefined as unknown, doc, lines);
    if (!parsed.success) {
      // A misspelt key is both unknown and missing: the unknown one, on its own line, is the one to fix.
      const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
      throw holder.error(at as (string | number)[], `${where}${issue.message}`);
    }
    return new YamlFile(file, parsed.data, doc, lines);
  }

  /** The line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly (string | number)[]): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  /**
   * The line of the key that `path` ends in: for a key whose value is a mapping, the line above
   * the value's first, where a reader looks for the name the error is about.
   */
  keyLineOf(path: readonly (string | number)[]): number {
    const parent = this.doc.getIn(path.slice(0, -1), true);
    const key = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1])?.key : undefined;
    return isNode(key) && key.range ? this.lines.linePos(key.range[0]).line : this.lineOf(path);
  }

  /** An error pointing at the line that holds `path`. */
  error(path: readonly (string | number)[], message: string): AuditpackError {
    return new AuditpackError(`${this.file}:${this.lineOf(path)}: ${message}`);
  }
}

/**
 * The document's values. The yaml library refuses aliases that would expand without bound (a
 * "billion laughs" file) by throwing; that is the file's fault, and its error names the file.
 */
function toPlain(file: string, doc: Document): unknown {
  try {
    return doc.toJS();
  } catch (e) {
    if (e instanceof ReferenceError && /excessive alias/i.test(e.message)) {
      throw new AuditpackError(`${file}: its aliases (*name) expand to too many values; write the values out instead`);
    }
    throw e;
  }
}
