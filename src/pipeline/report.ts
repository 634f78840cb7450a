import { assess } from '../assess/assess';
import type { EarlierReport } from '../assess/diff';
import type { AssessmentResult } from '../assess/result';
import { openPack } from '../evidence/reader';
import type { FileEntry } from '../integrity/files';
import { writeStaged } from '../integrity/staged-dir';
import { packSignature, sealWith, type PackSignatureRef, type Signer, type TrustedKey } from '../integrity/signature';
import type { ControlOwners, SystemIdentity } from '../assess/owners';
import { parseBaseline, type Baseline, type Catalog } from '../mapping/catalog';
import { resolveCatalog } from '../mapping/catalog-store';
import { loadMappings } from '../mapping/mappings';
import { packRows, renderReport, type RenderOptions } from '../render';
import { defaultMarking } from '../render/marking';
import { loadEarlierReport, packLocation, packOfResult, readResultFile, refuseOverlappingOut, replaceableReport, writeReportFolder } from './report-folder';

/** What is assessed, and how: the options that a result, once written, has already decided. */
export interface AssessOptions {
  baseline: Baseline;
  asOf?: string;
  /** An official OSCAL catalog file, `builtin`, or undefined for the imported default. */
  catalog?: string;
  /** The user's mapping files, added to and overriding the built-in ones. */
  mappings?: string;
  allowedRegions?: string[];
  /** The system assessed (`--system`, `--agency`, or the system file), for the result's `system`. */
  identity?: SystemIdentity;
  /** The control owners, resolved against the catalog assessed (the system file's overrides must name what it holds). */
  owners?: (catalog: Catalog) => ControlOwners;
}

/** Every option of `report` and `demo` that shapes the report folder. */
export type ReportOptions = RenderOptions &
  AssessOptions & {
    /** An earlier report folder to show changes against. */
    compare?: string;
  };

interface Run {
  outDir: string;
  /** Signs the report folder's manifest. */
  signer?: Signer;
  /** Told as each stage starts (assessing, each format), for progress on a terminal. */
  onStage?: (stage: string) => void;
}

export interface ReportRequest extends ReportOptions, Run {
  packDir: string;
  /** The key the pack's signature must verify with; without it an existing signature is recorded unchecked. */
  trusted?: TrustedKey;
}

export interface FromResultRequest extends Omit<RenderOptions, 'marking'>, Run {
  /** Null: the classification of the result's baseline. */
  marking: string | null;
  resultFile: string;
  /** The pack to stream the Evidence and Resources tables from; default: where the result says it is. */
  packDir?: string;
  compare?: string;
}

export interface BuiltReport {
  result: AssessmentResult;
  files: FileEntry[];
  packSignature: PackSignatureRef | null;
}

// A bad --compare should fail before minutes of assessment.
const earlierOf = (compare: string | undefined): Promise<EarlierReport | null> => (compare === undefined ? Promise.resolve(null) : loadEarlierReport(compare));

/**
 * Assesses a pack and renders the report folder: the assessment result, each requested format
 * and a manifest hashing them all, written atomically so `auditpack verify` can check it later.
 */
export async function buildReport(request: ReportRequest): Promise<BuiltReport> {
  await refuseOverlappingOut(request.outDir, request);
  const earlier = await earlierOf(request.compare);
  const catalog = resolveCatalog(request.catalog);
  const mappings = loadMappings(catalog, { extraDir: request.mappings });
  const owners = request.owners?.(catalog);
  const pack = await openPack(request.packDir);
  const signature = await packSignature(request.packDir, request.trusted);
  // The output is locked and checked before the assessment, so a refusal or a concurrent render
  // to the same folder is reported at once rather than after minutes of work.
  return writeStaged(request.outDir, { canReplace: replaceableReport, ...sealWith(request.signer) }, async (dir) => {
    request.onStage?.('assessing');
    const result = await assess({
      pack,
      catalog,
      baseline: request.baseline,
      mappings,
      asOf: request.asOf,
      allowedRegions: request.allowedRegions,
      system: request.identity,
      owners,
      packLocation: packLocation(request.packDir, request.outDir),
    });
    const rows = await packRows(result, request.packDir);
    const files = await writeReportFolder(dir, result, request.marking, signature, () => renderReport(result, rows, dir, request, { earlier, onStage: request.onStage }));
    return { result, files, packSignature: signature };
  });
}

/**
 * Renders the report folder from a result file alone (`report --from-result`): the same folder
 * `buildReport` writes, its tables of evaluations and resources streamed from the pack the result
 * names when it is there, and left out with a note saying why when it is not.
 */
export async function buildReportFromResult(request: FromResultRequest): Promise<BuiltReport & { marking: string; rowsNote: string | null }> {
  await refuseOverlappingOut(request.outDir, { fromResult: request.resultFile, packDir: request.packDir, compare: request.compare });
  const result = await readResultFile(request.resultFile);
  const earlier = await earlierOf(request.compare);
  const packDir = packOfResult(result, request.resultFile, request.packDir);
  const rows = await packRows(result, packDir);
  // The system was named when the result was assessed; --system may still rename it.
  const options: RenderOptions = { ...request, marking: request.marking ?? defaultMarking(parseBaseline(result.baseline)), system: request.system ?? result.system?.name };
  // Recorded unchecked, as `report` does without --pubkey: the pack was checked when it was assessed.
  const signature = rows.available ? await packSignature(packDir, undefined) : null;
  return writeStaged(request.outDir, { canReplace: replaceableReport, ...sealWith(request.signer) }, async (dir) => {
    // The result is written again with the pack's location as seen from the new folder.
    const placed: AssessmentResult = rows.available ? { ...result, pack: { ...result.pack, location: packLocation(packDir, request.outDir) } } : result;
    const files = await writeReportFolder(dir, placed, options.marking, signature, () => renderReport(placed, rows, dir, options, { earlier, onStage: request.onStage }));
    return { result: placed, files, packSignature: signature, marking: options.marking, rowsNote: rows.available ? null : rows.reason };
  });
}
