import { existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EarlierReport } from '../assess/diff';
import { RESULT_FORMAT, RESULT_FORMAT_VERSION, STATUSES, type AssessmentResult } from '../assess/result';
import { SERVICE_CATEGORIES } from '../mapping/responsibility';
import { checkResult, resultProblem } from '../assess/result-schema';
import { AuditpackError } from '../errors';
import { digestBytes, digestFile, type FileEntry } from '../integrity/files';
import type { PackSignatureRef } from '../integrity/signature';
import { writing } from '../integrity/write-errors';
import { MANIFEST_FILE, readFileList, verifyFolder } from '../integrity/verify';
import { BUILTIN } from '../mapping/catalog-store';
import type { RenderedFile } from '../render';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { TOOL } from '../version';

/**
 * The report folder, written and read: its assessment result, its manifest hashing every file,
 * where a report may be written (a report written into the pack breaks the pack; one that
 * replaces a folder holding an input deletes the input; one that replaces a folder holding
 * anything but an intact earlier report deletes the user's files), and reading an earlier
 * report's result back (`--compare`) or a result file alone (`--from-result`).
 */
export const REPORT_FORMAT = 'auditpack/report';
export const RESULT_FILE = 'assessment-result.json';

/** The files and folders a render reads, by the option that names them. */
export interface ReportInputs {
  packDir?: string;
  /** A result file rendered alone (`--from-result`). */
  fromResult?: string;
  compare?: string;
  catalog?: string;
  mappings?: string;
}

/** Where `p` really is: symbolic links resolved as far as the path exists, the rest appended. */
async function realLocation(p: string): Promise<string> {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    try {
      return path.join(await realpath(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.join(at, ...rest.reverse());
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

const within = (inner: string, outer: string): boolean => {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

/** Refuses an --out that is, lies inside, or contains the pack or another input. */
export async function refuseOverlappingOut(out: string, inputs: ReportInputs): Promise<void> {
  const named: [string, string | undefined][] = [
    ['the evidence pack', inputs.packDir],
    ['the --from-result file', inputs.fromResult],
    ['the --compare report', inputs.compare],
    ['the --catalog file', inputs.catalog === BUILTIN ? undefined : inputs.catalog],
    ['the --mappings folder', inputs.mappings],
  ];
  const target = await realLocation(out);
  for (const [what, input] of named) {
    if (input === undefined) continue;
    const real = await realLocation(input);
    if (target === real) throw new AuditpackError(`--out ${out}: is ${what} itself, which the report would replace; choose another folder`);
    if (within(target, real)) throw new AuditpackError(`--out ${out}: is inside ${what} ${input}, which writing the report would change; choose a folder outside it`);
    if (within(real, target)) throw new AuditpackError(`--out ${out}: holds ${what} ${input}, which replacing the folder would delete; choose another --out`);
  }
}

const listed = (paths: string[]): string => (paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`);

/**
 * An existing folder may be replaced by a new render only if it is an earlier report that still
 * verifies against its own manifest and holds nothing else; otherwise the refusal, as one line.
 */
export async function replaceableReport(dir: string): Promise<string | null> {
  const notReport = `${dir}: already exists and is not an auditpack report folder; choose another --out`;
  try {
    if ((await readFileList(dir)).format !== REPORT_FORMAT) return notReport;
  } catch {
    return notReport;
  }
  let problems;
  try {
    problems = await verifyFolder(dir);
  } catch (e) {
    return `${dir}: cannot check the earlier report before replacing it (${(e as Error).message}); choose another --out`;
  }
  const extra = problems.filter((p) => p.problem === 'extra').map((p) => p.path);
  if (extra.length) return `${dir}: holds files that are not part of the earlier report (${listed(extra)}); move them out or choose another --out`;
  if (problems.length) {
    return `${dir}: the earlier report there no longer matches its manifest (${listed(problems.map((p) => `${p.problem}: ${p.path}`))}); it is kept: choose another --out`;
  }
  return null;
}

/**
 * Refuses, before any work, an --out that a render would refuse later: for `demo`, which writes
 * the pack first and must not leave it behind for a report it cannot write.
 */
export async function refuseReportOut(out: string, inputs: ReportInputs): Promise<void> {
  await refuseOverlappingOut(out, inputs);
  const refusal = existsSync(out) ? await replaceableReport(out) : null;
  if (refusal) throw new AuditpackError(refusal);
}

/**
 * Writes the assessment result, then the rendered files, then the manifest hashing them all, into
 * `dir` (a staging folder the caller moves into place). The result is checked against its schema
 * first: a result that does not match is a bug, and no report is made from it.
 */
export async function writeReportFolder(
  dir: string,
  result: AssessmentResult,
  marking: string,
  signature: PackSignatureRef | null,
  render: () => Promise<RenderedFile[]>,
): Promise<FileEntry[]> {
  const problem = resultProblem(result);
  if (problem) throw new Error(`auditpack bug: the assessment result does not match docs/assessment-result.schema.json: ${problem}`);
  await writing(RESULT_FILE, () => writeFile(path.join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`));
  const written = [{ path: RESULT_FILE, records: null }, ...(await render())];
  const files: FileEntry[] = [];
  for (const w of written.sort((a, b) => a.path.localeCompare(b.path))) files.push({ path: w.path, ...(await digestFile(path.join(dir, w.path))), records: w.records });
  const manifest = {
    format: REPORT_FORMAT,
    formatVersion: 1,
    tool: { ...TOOL },
    pack: { packId: result.pack.packId, manifestSha256: result.pack.manifestSha256, signature },
    baseline: result.baseline,
    marking,
    files,
  };
  await writing(MANIFEST_FILE, () => writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`));
  return files;
}

/** A file's bytes, or one error line naming the option and the file. */
async function readBytes(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new AuditpackError(`${option}: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Bytes read as JSON, or one error line naming the option and the file (and where in it). */
function parseAs(bytes: Buffer, file: string, option: string): unknown {
  try {
    return parseJson(bytes.toString('utf8'), file);
  } catch (e) {
    throw new AuditpackError(`${option}: ${(e as Error).message}`);
  }
}

/** A result file rendered alone (`--from-result FILE`), checked against the schema of this version. */
export async function readResultFile(file: string): Promise<AssessmentResult> {
  const json = parseAs(await readBytes(file, '--from-result'), file, '--from-result');
  try {
    return checkResult(json, file);
  } catch (e) {
    throw new AuditpackError(`--from-result: ${(e as Error).message}`);
  }
}

/**
 * Where the pack of a result read from `resultFile` is: `--pack` when given, else the location
 * the result recorded, relative to the folder holding the result file.
 */
export function packOfResult(result: AssessmentResult, resultFile: string, packOption: string | undefined): string {
  if (packOption !== undefined) return packOption;
  return path.resolve(path.dirname(resultFile), ...result.pack.location.split('/'));
}

/** The pack's location as a result written into `outDir` records it: relative, with forward slashes. */
export function packLocation(packDir: string, outDir: string): string {
  return path.relative(path.resolve(outDir), path.resolve(packDir)).split(path.sep).join('/') || '.';
}

/**
 * The parts of a version 1 result a comparison reads (later versions are checked against the full
 * schema): last quarter's report may well have been written by an older auditpack.
 */
const EarlierResultV1 = z.looseObject({
  format: z.literal(RESULT_FORMAT),
  formatVersion: z.literal(1),
  asOf: z.string(),
  pack: z.looseObject({
    packId: z.string(),
    manifestSha256: z.string(),
    period: z.string(),
    completedAt: z.string(),
    scope: z.looseObject({
      accounts: z.array(z.looseObject({ accountId: z.string(), name: z.string().nullable() })),
      regions: z.array(z.string()),
    }),
  }),
  catalog: z.looseObject({ version: z.string() }),
  baseline: z.string(),
  servicesInUse: z.array(z.looseObject({ category: z.enum(SERVICE_CATEGORIES), resourceTypes: z.array(z.string()) })),
  controls: z.array(z.looseObject({ id: z.string(), status: z.enum(STATUSES) })),
});

/**
 * The assessment result of a report folder, as JSON not yet checked against a schema. The folder
 * must be an auditpack report whose manifest still hashes its assessment result, so nothing is
 * ever compared with a result edited after it was written. `option` starts every error line.
 */
async function readReportResult(dir: string, option: string): Promise<{ file: string; json: unknown }> {
  let list;
  try {
    list = await readFileList(dir);
  } catch (e) {
    throw new AuditpackError(`${option}: ${(e as Error).message}`);
  }
  if (list.format !== REPORT_FORMAT) throw new AuditpackError(`${option}: ${dir} is not an auditpack report folder (its manifest is ${JSON.stringify(list.format)})`);
  const entry = list.files.find((f) => f.path === RESULT_FILE);
  if (!entry) throw new AuditpackError(`${option}: ${dir}/manifest.json does not list ${RESULT_FILE}`);
  const file = path.join(dir, RESULT_FILE);
  const bytes = await readBytes(file, option);
  if (digestBytes(bytes).sha256 !== entry.sha256) {
    throw new AuditpackError(`${option}: ${file} does not match the SHA-256 in ${dir}/manifest.json; it changed after the report was written`);
  }
  return { file, json: parseAs(bytes, file, option) };
}

/** A result of this format version, or one error line. */
function checkedAs(json: unknown, file: string, option: string): AssessmentResult {
  try {
    return checkResult(json, file);
  } catch (e) {
    throw new AuditpackError(`${option}: ${(e as Error).message}`);
  }
}

/** Reads the assessment result of an earlier report folder (`--compare DIR`), of any format version. */
export async function loadEarlierReport(dir: string): Promise<EarlierReport> {
  const { file, json } = await readReportResult(dir, '--compare');
  if ((json as { formatVersion?: unknown } | null)?.formatVersion === 1) {
    const parsed = EarlierResultV1.safeParse(json);
    if (!parsed.success) throw new AuditpackError(`--compare: ${file}: ${describeIssue(parsed.error)}`);
    return { dir, result: parsed.data };
  }
  return { dir, result: checkedAs(json, file, '--compare') };
}

/**
 * A report folder's full result (`auditpack diff`, `auditpack requests`), which must be of this
 * format version: an older one lacks what they read (the SSP annex implementation, the attestations' states).
 */
export async function loadReportResult(dir: string, option: string): Promise<{ file: string; result: AssessmentResult }> {
  const { file, json } = await readReportResult(dir, option);
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version < RESULT_FORMAT_VERSION) {
    throw new AuditpackError(`${option}: ${file} is assessment result format version ${version}; this needs version ${RESULT_FORMAT_VERSION}: assess its pack again (auditpack report PACK) or give the pack itself`);
  }
  return { file, result: checkedAs(json, file, option) };
}
