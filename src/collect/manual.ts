import { createReadStream, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ATTESTED_IMPLEMENTATIONS } from '../assess/annex';
import { AuditpackError } from '../errors';
import { controlId, type AttachmentRef, type Attestation, type RiskException } from '../evidence/records';
import { builtinCatalog } from '../mapping/catalog';
import { YamlFile } from '../util/yaml-file';
import { LimitExceededError, limitedRead, MAX_ATTACHMENT_BYTES } from './bounds';
import type { Collector } from './collector';
import { checkContainedFile, errorCode, openChecked, resolveIn, tooLarge, type ContainedFile, type ContainedFileProblem } from './contained-file';
import type { CollectionRun } from './run';

/**
 * Manual evidence from `--attestations DIR`: one YAML file per attestation or risk
 * acceptance (docs/collect.md has the format). Everything is checked before AWS is called,
 * with the file and line of each problem; attached files are copied into the pack and hashed.
 */

const MANUAL_COLLECTOR = 'manual';

const text = z.string().trim().min(1);
const date = z.iso.date();
const attachment = z.strictObject({
  /** Relative to DIR. */
  path: text,
  /** Guessed from the file extension when absent. */
  mediaType: text.optional(),
  /** The file's hash when it was attested (`attest import` records it): a file changed since is refused. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lowercase hex (64 characters)').optional(),
});
const common = {
  id: text,
  controlIds: z.array(controlId).min(1),
  attachments: z.array(attachment).default([]),
};
const AttestationFile = z.strictObject({
  kind: z.literal('attestation'),
  ...common,
  statement: text,
  implementation: z.enum(ATTESTED_IMPLEMENTATIONS).optional(),
  attester: text,
  attestedOn: date,
  validUntil: date,
});
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

/** `file`: as written in the YAML file, resolved against DIR. */
interface ManualAttachment extends ContainedFile {
  name: string;
  mediaType: string;
  /** The hash the YAML file recorded, checked again when the file is copied; null when it recorded none. */
  sha256: string | null;
}

export type ManualItem =
  | { kind: 'attestation'; record: Omit<Attestation, 'attachments'>; attachments: ManualAttachment[] }
  | { kind: 'risk-acceptance'; record: Omit<RiskException, 'attachments'>; attachments: ManualAttachment[] };

/**
 * Loads and checks every `*.yaml` / `*.yml` file directly in `dir` (attachments may sit in
 * subfolders). Symbolic links are followed only to files inside `dir`: a link out of it (to
 * ~/.aws/credentials, to /etc) would send that file to the assessors.
 */
export function loadManualEvidence(dir: string): ManualItem[] {
  const known = new Set(builtinCatalog().controls.map((c) => c.id));
  const root = realpathSync(dir);
  const idFiles = new Map<string, string>();
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
  return files.map((file) => {
    const where = resolveIn(root, file);
    if (where.at === 'nowhere') throw new AuditpackError(`${file}: ${missing(where.code)} (a broken symbolic link?)`);
    if (where.at === 'outside') throw new AuditpackError(`${file}: leads to ${where.real}, outside ${dir}`);
    if (!statSync(where.real).isFile()) throw new AuditpackError(`${file}: not a regular file`);
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
    return toItem(item, item.attachments.map((a, i) => resolveAttachment(yaml, dir, root, a, i)));
  });
}

const missing = (code: string) => (code === 'ENOENT' ? 'no such file' : `cannot read (${code})`);

/** Checks an attachment completely (inside DIR, a regular file, readable, not too large) before AWS is called. */
function resolveAttachment(yaml: YamlFile<ManualFile>, dir: string, root: string, a: ManualFile['attachments'][number], index: number): ManualAttachment {
  const at = ['attachments', index, 'path'];
  const field = `attachments.${index}.path`;
  if (path.isAbsolute(a.path)) throw yaml.error(at, `${field}: ${a.path} must be a path inside ${dir}`);
  const file = path.resolve(dir, a.path);
  const checked = checkContainedFile(root, file, { hash: a.sha256 !== undefined });
  if (!checked.ok) throw yaml.error(at, `${field}: ${a.path}${attachmentProblem(checked, dir)}`);
  if (a.sha256 !== undefined && checked.sha256 !== a.sha256) {
    throw yaml.error(['attachments', index, 'sha256'], `attachments.${index}.sha256: ${a.path} has SHA-256 ${checked.sha256}, not the ${a.sha256} recorded: the file changed since it was attested`);
  }
  const mediaType = a.mediaType ?? MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { file, real: checked.real, identity: checked.identity, name: path.basename(file), mediaType, sha256: a.sha256 ?? null };
}

/** What is wrong with an attachment, after its path. */
function attachmentProblem(p: ContainedFileProblem, dir: string): string {
  switch (p.problem) {
    case 'nowhere':
      return `: ${missing(p.code)}`;
    case 'outside':
      return ` must be a path inside ${dir} (it leads to ${p.real})`;
    case 'not-a-file':
      return ': not a regular file';
    case 'unreadable':
      return `: cannot read (${p.code})`;
    case 'too-large':
      return ` ${tooLarge(p.size)}`;
  }
}

function toItem(item: ManualFile, attachments: ManualAttachment[]): ManualItem {
  if (item.kind === 'attestation') {
    const { kind, attachments: _, ...record } = item;
    return { kind, record, attachments };
  }
  const { kind, attachments: _, ...record } = item;
  return { kind, record, attachments };
}

/** The items loadManualEvidence checked, written with a copy of each attached file (stored once per content hash). */
export function manualCollector(items: ManualItem[]): Collector {
  return {
    name: MANUAL_COLLECTOR,
    writes: ['attestations', 'exceptions'],
    async collect(run) {
      run.progress.expect(1);
      for (const item of items) {
        const refs: AttachmentRef[] = [];
        for (const a of item.attachments) refs.push(await copyAttachment(run, a));
        if (item.kind === 'attestation') await run.write('attestations', { ...item.record, attachments: refs });
        else await run.write('exceptions', { ...item.record, attachments: refs });
      }
      run.progress.done(1, `manual: ${items.length} attestations and risk acceptances`);
      return { notes: [] };
    },
  };
}

/** Streams the checked file into the pack; one replaced or grown since the check is refused. */
async function copyAttachment(run: CollectionRun, a: ManualAttachment): Promise<AttachmentRef> {
  const source = createReadStream('', { fd: openChecked(a, 'collect') });
  let readError: unknown;
  source.on('error', (e) => (readError = e));
  let ref: AttachmentRef;
  try {
    ref = await run.attach(a.name, limitedRead(source, MAX_ATTACHMENT_BYTES, a.file), a.mediaType);
  } catch (e) {
    if (readError !== undefined) throw new AuditpackError(`${a.file}: cannot read (${errorCode(readError)})`);
    if (e instanceof LimitExceededError) throw new AuditpackError(`${e.message}: it grew since it was checked`);
    throw e;
  }
  if (a.sha256 !== null && ref.sha256 !== a.sha256) throw new AuditpackError(`${a.file}: changed since it was checked (SHA-256 ${ref.sha256}, not the ${a.sha256} recorded); run collect again`);
  return ref;
}
