import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assess } from '../assess/assess';
import type { AssessmentResult } from '../assess/result';
import { openPack } from '../evidence/reader';
import { digestFile, type FileEntry } from '../integrity/files';
import { writeStaged } from '../integrity/staged-dir';
import { writing } from '../integrity/write-errors';
import { packSignature, sealWith, type PackSignatureRef, type Signer, type TrustedKey } from '../integrity/signature';
import { MANIFEST_FILE } from '../integrity/verify';
import type { Baseline } from '../mapping/catalog';
import { resolveCatalog } from '../mapping/catalog-store';
import { loadMappings } from '../mapping/mappings';
import { loadEarlierReport, renderReport, type CsvOptions, type CsvProfile, type ReportFormat } from '../render';
import { TOOL } from '../version';
import { REPORT_FORMAT, refuseOverlappingOut, replaceableReport } from './report-out';

export const RESULT_FILE = 'assessment-result.json';

export interface ReportRequest {
  packDir: string;
  outDir: string;
  formats: readonly ReportFormat[];
  marking: string;
  baseline: Baseline;
  asOf?: string;
  /** An official OSCAL catalog file, `builtin`, or undefined for the imported default. */
  catalog?: string;
  /** The user's mapping files, added to and overriding the built-in ones. */
  mappings?: string;
  allowedRegions?: string[];
  /** The system's name for the cover and page headers. */
  system?: string;
  /** An earlier report folder to show changes against. */
  compare?: string;
  csv?: CsvOptions;
  csvProfiles?: CsvProfile[];
  /** Signs the report folder's manifest. */
  signer?: Signer;
  /** The key the pack's signature must verify with; without it an existing signature is recorded unchecked. */
  trusted?: TrustedKey;
  /** Told as each stage starts (assessing, each format), for progress on a terminal. */
  onStage?: (stage: string) => void;
}

/**
 * Assesses a pack and renders the report folder: the assessment result, each requested format
 * and a manifest hashing them all, written atomically so `auditpack verify` can check it later.
 */
export async function buildReport(request: ReportRequest): Promise<{ result: AssessmentResult; files: FileEntry[]; packSignature: PackSignatureRef | null }> {
  await refuseOverlappingOut(request.outDir, request);
  // Read the earlier report first: a bad --compare should fail before minutes of assessment.
  const earlier = request.compare === undefined ? null : await loadEarlierReport(request.compare);
  const catalog = resolveCatalog(request.catalog);
  const mappings = loadMappings(catalog, { extraDir: request.mappings });
  const pack = await openPack(request.packDir);
  const signature = await packSignature(request.packDir, request.trusted);
  // The output is locked and checked before the assessment, so a refusal or a concurrent render
  // to the same folder is reported at once rather than after minutes of work.
  return writeStaged(request.outDir, { canReplace: replaceableReport, ...sealWith(request.signer) }, async (dir) => {
    request.onStage?.('assessing');
    const result = await assess({ pack, catalog, baseline: request.baseline, mappings, asOf: request.asOf, allowedRegions: request.allowedRegions });
    await writing(RESULT_FILE, () => writeFile(path.join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`));
    const rendered = await renderReport(result, pack, dir, {
      formats: request.formats,
      marking: request.marking,
      system: request.system,
      earlier,
      csv: request.csv,
      csvProfiles: request.csvProfiles,
      onStage: request.onStage,
    });
    const written = [{ path: RESULT_FILE, records: null }, ...rendered];
    const files: FileEntry[] = [];
    for (const w of written.sort((a, b) => a.path.localeCompare(b.path))) files.push({ path: w.path, ...(await digestFile(path.join(dir, w.path))), records: w.records });
    const manifest = {
      format: REPORT_FORMAT,
      formatVersion: 1,
      tool: { ...TOOL },
      pack: { packId: result.pack.packId, manifestSha256: result.pack.manifestSha256, signature },
      baseline: result.baseline,
      marking: request.marking,
      files,
    };
    await writing(MANIFEST_FILE, () => writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`));
    return { result, files, packSignature: signature };
  });
}
