import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import type { PackWriter } from '../evidence/writer';
import { controlId, type AttachmentRef, type Attestation, type RiskException } from '../evidence/records';
import { builtinCatalog } from '../mapping/catalog';
import { YamlFile } from '../util/yaml-file';

/**
 * Manual evidence from `--attestations DIR`: one YAML file per attestation or risk
 * acceptance (docs/collect.md has the format). Everything is checked before AWS is called,
 * with the file and line of each problem; attached files are copied into the pack and hashed.
 */

export const MANUAL_COLLECTOR = 'manual';

const text = z.string().trim().min(1);
const date = z.iso.date();
const attachment = z.strictObject({
  /** Relative to DIR. */
  path: text,
  /** Guessed from the file extension when absent. */
  mediaType: text.optional(),
});
const common = {
  id: text,
  controlIds: z.array(controlId).min(1),
  attachments: z.array(attachment).default([]),
};
const AttestationFile = z.strictObject({ kind: z.literal('attestation'), ...common, statement: text, attester: text, attestedOn: date, validUntil: date });
const RiskAcceptanceFile = z.strictObject({
  kind: z.literal('risk-acceptance'),
  ...common,
  owner: text,
  rationale: text,
  approvedBy: text,
  approvedOn: date,
  expiresOn: date,
});
const ManualFile = z.discriminatedUnion('kind', [AttestationFile, RiskAcceptanceFile]);
type ManualFile = z.infer<typeof ManualFile>;

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface ManualAttachment {
  file: string;
  name: string;
  mediaType: string;
}

export type ManualItem =
  | { kind: 'attestation'; record: Omit<Attestation, 'attachments'>; attachments: ManualAttachment[] }
  | { kind: 'risk-acceptance'; record: Omit<RiskException, 'attachments'>; attachments: ManualAttachment[] };

/** Loads and checks every `*.yaml` / `*.yml` file directly in `dir` (attachments may sit in subfolders). */
export function loadManualEvidence(dir: string): ManualItem[] {
  const known = new Set(builtinCatalog().controls.map((c) => c.id));
  const idFiles = new Map<string, string>();
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
  return files.map((file) => {
    const yaml = YamlFile.load(file, ManualFile);
    const item = yaml.data;
    item.controlIds.forEach((id, i) => {
      if (!known.has(id)) throw yaml.error(['controlIds', i], `controlIds.${i}: ${id} is not a control or principle of the ISM catalog`);
    });
    const [from, until, untilField] = item.kind === 'attestation' ? [item.attestedOn, item.validUntil, 'validUntil'] : [item.approvedOn, item.expiresOn, 'expiresOn'];
    if (until < from) throw yaml.error([untilField], `${untilField}: ${until} is before ${from}`);
    const first = idFiles.get(item.id);
    if (first) throw yaml.error(['id'], `id: ${item.id} is already used by ${first}`);
    idFiles.set(item.id, file);
    return toItem(item, item.attachments.map((a, i) => resolveAttachment(yaml, dir, a, i)));
  });
}

function resolveAttachment(yaml: YamlFile<ManualFile>, dir: string, a: { path: string; mediaType?: string }, index: number): ManualAttachment {
  const at = ['attachments', index, 'path'];
  const field = `attachments.${index}.path`;
  const file = path.resolve(dir, a.path);
  const relative = path.relative(path.resolve(dir), file);
  if (path.isAbsolute(a.path) || relative.startsWith('..')) throw yaml.error(at, `${field}: ${a.path} must be a path inside ${dir}`);
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw yaml.error(at, `${field}: ${a.path}: no such file`);
  const mediaType = a.mediaType ?? MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { file, name: path.basename(file), mediaType };
}

function toItem(item: ManualFile, attachments: ManualAttachment[]): ManualItem {
  if (item.kind === 'attestation') {
    const { kind, attachments: _, ...record } = item;
    return { kind, record, attachments };
  }
  const { kind, attachments: _, ...record } = item;
  return { kind, record, attachments };
}

/** Writes the items, copying each attached file into the pack (stored once per content hash). */
export async function writeManualEvidence(writer: PackWriter, items: ManualItem[]): Promise<void> {
  for (const item of items) {
    const refs: AttachmentRef[] = [];
    for (const a of item.attachments) {
      let content: Buffer;
      try {
        content = readFileSync(a.file);
      } catch (e) {
        throw new AuditpackError(`${a.file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      refs.push(await writer.attach(a.name, content, a.mediaType));
    }
    if (item.kind === 'attestation') await writer.write('attestations', { ...item.record, attachments: refs });
    else await writer.write('exceptions', { ...item.record, attachments: refs });
  }
}
