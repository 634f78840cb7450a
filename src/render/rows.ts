import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssessmentResult } from '../assess/result';
import { AuditpackError } from '../errors';
import { readJsonLines } from '../evidence/jsonl';
import { EVIDENCE_KINDS, schemaOf, type EvidenceKind, type EvidenceRecord } from '../evidence/kinds';
import { PROCESS_CHECK_IDENTIFIER, templateName, type ConfigRule, type Evaluation, type Resource } from '../evidence/records';
import { digestBytes, FileCheckError, readListedFile } from '../integrity/files';
import { MANIFEST_FILE } from '../integrity/verify';

/**
 * The one place the renderers touch the evidence pack: the rows of the tables too large for the
 * assessment result (every evaluation, every resource), streamed from the pack files the result
 * names and checked against the SHA-256 it records for each, so the tables cannot show evidence
 * other than what was assessed.
 */

/** An evaluation labelled with its managed rule and the controls that rule evidences. */
export interface EvidenceRow {
  evaluation: Evaluation;
  ruleIdentifier: string | null;
  controlIds: readonly string[];
}

export type PackRows =
  | {
      available: true;
      /** Every evaluation in the pack. */
      evidence(): AsyncIterable<EvidenceRow>;
      /** Every resource in the inventory. */
      resources(): AsyncIterable<Resource>;
      /** Resources outside the allowed regions, in full (the result keeps only the first ones). */
      outsideRegions(): AsyncIterable<Resource>;
      /** Every AWS Config rule record (one per account, Region and conformance pack). */
      rules(): AsyncIterable<ConfigRule>;
    }
  | {
      available: false;
      /** Why the pack's rows are not in the report, as a sentence every format prints. */
      reason: string;
    };

/** The tables that stream from the pack, by CSV file: left out, with the reason, when it is absent. */
export const PACK_ROW_TABLES = ['csv/evidence.csv', 'csv/resources.csv', 'csv/data-residency.csv'] as const;

const ruleKey = (r: { accountId: string; region: string; ruleName: string }): string => `${r.accountId}\n${r.region}\n${r.ruleName}`;

/**
 * The row source for `result` from the pack in `dir`. A folder without a pack manifest gives
 * no rows and says why; a pack other than the one assessed is refused, as is any file that
 * no longer matches the result (found as it streams: the render is staged, so nothing is kept).
 */
export async function packRows(result: AssessmentResult, dir: string): Promise<PackRows> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) {
    return {
      available: false,
      reason: `The evidence pack ${result.pack.packId} was not found at ${dir}, so the Evidence, Resources and Data residency tables (every evaluation and resource) are left out; render with --pack DIR naming the pack to include them.`,
    };
  }
  const sha256 = digestBytes(await readFile(manifestFile)).sha256;
  if (sha256 !== result.pack.manifestSha256) {
    throw new AuditpackError(`${dir}: the assessment result is for pack manifest ${result.pack.manifestSha256}, but the pack at ${dir} has manifest ${sha256}; name the pack that was assessed, or assess this pack again`);
  }

  async function* records<K extends EvidenceKind>(kind: K): AsyncGenerator<EvidenceRecord<K>> {
    const file = EVIDENCE_KINDS[kind].file;
    const entry = result.pack.files.find((f) => f.path === file);
    if (!entry) throw new AuditpackError(`the assessment result lists no ${file} for pack ${result.pack.packId}`);
    try {
      yield* readJsonLines(readListedFile(dir, entry), path.join(dir, file), schemaOf(kind));
    } catch (e) {
      if (e instanceof FileCheckError) throw new AuditpackError(`${e.file}: does not match the assessment result (${e.detail}); the pack changed after it was assessed`);
      throw e;
    }
  }

  async function* evidence(): AsyncGenerator<EvidenceRow> {
    // Rule names differ per deployment; mappings key on the identifier, which only the rule records carry.
    const identifiers = new Map<string, string>();
    for await (const rule of records('configRules')) identifiers.set(ruleKey(rule), rule.sourceIdentifier);
    for await (const evaluation of records('evaluations')) {
      const ruleIdentifier = identifiers.get(ruleKey(evaluation)) ?? null;
      // Process checks share one identifier and map by name.
      const [controls, key] = ruleIdentifier === PROCESS_CHECK_IDENTIFIER ? [result.processCheckControls, templateName(evaluation.ruleName)] : [result.ruleControls, ruleIdentifier];
      const controlIds = key !== null && Object.hasOwn(controls, key) ? controls[key] : [];
      yield { evaluation, ruleIdentifier, controlIds };
    }
  }

  async function* outsideRegions(): AsyncGenerator<Resource> {
    const allowed = new Set(result.dataResidency.allowedRegions);
    for await (const r of records('resources')) if (!allowed.has(r.region)) yield r;
  }

  return { available: true, evidence, resources: () => records('resources'), outsideRegions, rules: () => records('configRules') };
}
