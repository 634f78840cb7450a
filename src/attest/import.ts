import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import { errorCode } from '../collect/contained-file';
import { loadManualEvidence } from '../collect/manual';
import { AuditpackError } from '../errors';
import { writeStaged } from '../integrity/staged-dir';
import { builtinCatalog } from '../mapping/catalog';
import { ismIdentifier } from '../render/ism-identifier';
import { ControlLookup, readAnswers, type AnsweredAttestation, type NotAttestedAnswer, type WorkbookAnswers } from './answers';
import { copyAttachment, type AttachmentsFolder } from './attachments';

/**
 * `auditpack attest import FILE_OR_DIR... --out DIR [--attachments DIR]` (docs/attest-import.md):
 * the answers of filled request workbooks as attestation files `collect --attestations` reads.
 * Everything is read and checked first; only when no cell is wrong is the folder written, staged
 * and renamed into place, so a bad cell leaves nothing behind.
 */

export interface ImportRequest {
  /** Workbooks, and folders whose `*.xlsx` files are workbooks, as given on the command line. */
  inputs: readonly string[];
  outDir: string;
  /** Where attachment names are found; null: the folder of each workbook. */
  attachmentsDir: string | null;
  /**
   * The day of the import (`YYYY-MM-DD`, UTC): no answer may be dated after it (but for a day's
   * grace for time zones), nor be valid only until a day before it.
   */
  today: string;
}

/** The folder of an imported attestation's attachments, below the output folder. */
const ATTACHMENTS_DIR = 'attachments';

/** An attestation to write, with the row it came from. */
interface Imported {
  id: string;
  /** The row's Identifier cell. */
  at: string;
  attestation: AnsweredAttestation;
}

export interface WrittenAttachment {
  /** Relative to the output folder, as the YAML file gives it. */
  path: string;
  sha256: string;
}

export interface WrittenAttestation {
  id: string;
  /** The YAML file, relative to the output folder. */
  file: string;
  attachments: WrittenAttachment[];
}

export interface WorkbookImport {
  file: string;
  written: WrittenAttestation[];
  blank: number;
  notWritten: NotAttestedAnswer[];
}

export type ImportOutcome = { ok: true; workbooks: WorkbookImport[] } | { ok: false; problems: string[] };

/**
 * An attestation's id: the control as the workbook names it and the day attested
 * (`ATT-ISM-0252-2026-11-20`, `ATT-GOV-01-2026-11-20`). The same answer imported again (same
 * control and date) gets the same id, so it replaces (not duplicates) a record carried forward
 * from an earlier pack. An answer dated another day is another record, carried beside the earlier
 * one; the assessment rests on the one attested last (src/assess/status.ts).
 */
const attestationId = (a: AnsweredAttestation) => `ATT-${ismIdentifier(a.control)}-${a.attestedOn}`;

export async function importAttestations(request: ImportRequest): Promise<ImportOutcome> {
  if (existsSync(request.outDir)) throw new AuditpackError(`--out ${request.outDir}: already exists; choose a new folder (imported answers never replace a folder)`);
  const fixedFolder = request.attachmentsDir === null ? null : attachmentsFolder(request.attachmentsDir);
  const { files, problems } = workbooksOf(request.inputs);
  const controls = new ControlLookup(builtinCatalog().controls);
  const read: WorkbookAnswers[] = [];
  for (const file of files) read.push(await readAnswers(file, controls, fixedFolder ?? attachmentsFolder(path.dirname(file), file), request.today));
  const idCells = new Map<string, string>();
  const imports = read.map((book) => {
    problems.push(...book.problems);
    const imported: Imported[] = [];
    for (const answer of book.answers) {
      if (answer.kind !== 'attestation') continue;
      const id = attestationId(answer.attestation);
      const first = idCells.get(id);
      if (first !== undefined) problems.push(`${answer.at}: gives the attestation id ${id} (${ismIdentifier(answer.attestation.control)} attested ${answer.attestation.attestedOn}), as ${first} does already; one answer per control and date`);
      else idCells.set(id, answer.at);
      imported.push({ id, at: answer.at, attestation: answer.attestation });
    }
    const notWritten = book.answers.filter((a): a is NotAttestedAnswer => a.kind === 'not-attested');
    return { file: book.file, blank: book.blank, imported, notWritten };
  });
  if (problems.length) return { ok: false, problems };

  const workbooks = await writeStaged(request.outDir, {}, async (dir) => {
    const done: WorkbookImport[] = [];
    for (const book of imports) {
      const written: WrittenAttestation[] = [];
      for (const item of book.imported) written.push(await writeAttestation(dir, item));
      done.push({ file: book.file, written, blank: book.blank, notWritten: book.notWritten });
    }
    // What was written is what collect will read: a file it refused would be a bug here, not the owner's.
    try {
      loadManualEvidence(dir);
    } catch (e) {
      throw new Error(`auditpack bug: collect --attestations refuses an imported file: ${(e as Error).message}`);
    }
    return done;
  });
  return { ok: true, workbooks };
}

/**
 * The folder, which must exist: a wrong --attachments is one line, not a problem per cell.
 * `workbook`: the workbook whose own folder it is, when no --attachments was given.
 */
function attachmentsFolder(dir: string, workbook?: string): AttachmentsFolder {
  const named = workbook === undefined ? `--attachments ${dir}` : `${workbook}: the folder its attachments are looked for in (${dir}, as no --attachments was given)`;
  let root: string;
  try {
    root = realpathSync(dir);
  } catch (e) {
    throw new AuditpackError(`${named}: ${errorCode(e) === 'ENOENT' ? 'no such folder' : `cannot read (${errorCode(e)})`}`);
  }
  if (!statSync(root).isDirectory()) throw new AuditpackError(`${named}: not a folder`);
  return { dir, root };
}

/**
 * The workbooks named: a file as given, a folder's `*.xlsx` files directly in it in name order
 * (not Office's `~$` lock files), each once; a problem line for a name that is neither.
 */
function workbooksOf(inputs: readonly string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const real = realpathSync(file);
    if (!seen.has(real)) files.push(file);
    seen.add(real);
  };
  for (const input of inputs) {
    let stats;
    try {
      stats = statSync(input);
    } catch (e) {
      problems.push(`${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${errorCode(e)})`}`);
      continue;
    }
    if (stats.isDirectory()) {
      const books = readdirSync(input, { withFileTypes: true })
        .filter((e) => /\.xlsx$/i.test(e.name) && !e.name.startsWith('~$'))
        .map((e) => path.join(input, e.name))
        .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile())
        .sort();
      if (!books.length) problems.push(`${input}: no .xlsx workbook in this folder`);
      books.forEach(add);
    } else if (!/\.xlsx$/i.test(input)) {
      problems.push(`${input}: not an .xlsx workbook`);
    } else {
      add(input);
    }
  }
  return { files, problems };
}

/** Copies an attestation's attachments into `attachments/<id>/` and writes `<id>.yaml` beside them. */
async function writeAttestation(dir: string, item: Imported): Promise<WrittenAttestation> {
  const attachments: WrittenAttachment[] = [];
  for (const a of item.attestation.attachments) {
    const relative = `${ATTACHMENTS_DIR}/${item.id}/${a.name}`;
    attachments.push({ path: relative, sha256: await copyAttachment(a, path.join(dir, ...relative.split('/'))) });
  }
  const file = `${item.id}.yaml`;
  await writeFile(path.join(dir, file), attestationYaml(item, attachments), { flag: 'wx' });
  return { id: item.id, file, attachments };
}

/** The file as docs/collect.md describes it, with a comment naming the row it came from. */
function attestationYaml(item: Imported, attachments: WrittenAttachment[]): string {
  const a = item.attestation;
  const content: Record<string, unknown> = {
    kind: 'attestation',
    id: item.id,
    controlIds: [a.control.id],
    statement: a.statement,
    implementation: a.implementation,
    attester: a.attester,
    attestedOn: a.attestedOn,
    validUntil: a.validUntil,
  };
  if (attachments.length) content.attachments = attachments;
  const doc = new Document(content);
  doc.commentBefore = ` Imported by auditpack attest import from ${item.at}`;
  return doc.toString({ lineWidth: 0 });
}
