import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../errors';
import { readFileList, verifyFolder } from '../integrity/verify';
import { BUILTIN } from '../mapping/catalog-store';

/**
 * Where a report may be written. A report written into the pack breaks the pack (it no longer
 * verifies); one that replaces a folder holding an input deletes the input; one that replaces a
 * folder holding anything but an intact earlier report deletes the user's files.
 */
export const REPORT_FORMAT = 'auditpack/report';

/** The files and folders a render reads, by the option that names them. */
export interface ReportInputs {
  packDir: string;
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
