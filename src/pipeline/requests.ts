import type { AssessmentResult } from '../assess/result';
import { AuditpackError } from '../errors';
import { writeStaged } from '../integrity/staged-dir';
import { parseBaseline } from '../mapping/catalog';
import { defaultMarking } from '../render/marking';
import { writeRequests, type OwnerRequests, type RequestsOptions } from '../render/requests';
import { assessPack, folderKind } from './diff';
import type { AssessOptions } from './report';
import { loadReportResult, refuseOverlappingOut } from './report-folder';

export interface RequestsRequest extends Omit<RequestsOptions, 'marking'> {
  /** An evidence pack (assessed now) or a report folder (its result as assessed). */
  input: string;
  outDir: string;
  /** How a pack is assessed. */
  assess: AssessOptions;
  /** The first option given that only assessing a pack uses (`--owner`, `--catalog`...), or null: refused for a report folder. */
  packOption: string | null;
  /** Null: the classification of the result's baseline. */
  marking: string | null;
}

/**
 * `auditpack requests PACK_OR_REPORT --out DIR`: the evidence each control owner is asked for,
 * one workbook per owner and requests.csv, written in a staged folder renamed into place when
 * complete. An existing --out is refused: the folder is sent out, not replaced.
 */
export async function buildRequests(request: RequestsRequest): Promise<{ result: AssessmentResult; groups: OwnerRequests[] }> {
  await refuseOverlappingOut(request.outDir, { packDir: request.input, catalog: request.assess.catalog, mappings: request.assess.mappings });
  const kind = await folderKind(request.input, 'requests');
  if (kind === 'report' && request.packOption) {
    throw new AuditpackError(`--${request.packOption}: applies to assessing a pack, but ${request.input} is a report folder whose result has decided it; name the pack instead`);
  }
  // The output is locked and refused if it exists before the assessment, not after minutes of it.
  return writeStaged(request.outDir, {}, async (dir) => {
    const result = kind === 'pack' ? await assessPack(request.input, request.assess) : (await loadReportResult(request.input, 'requests')).result;
    const options: RequestsOptions = { due: request.due, expiringWithinDays: request.expiringWithinDays, marking: request.marking ?? defaultMarking(parseBaseline(result.baseline)) };
    return { result, groups: await writeRequests(dir, result, options) };
  });
}
