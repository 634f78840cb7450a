import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EVALUATION_RESULT_TYPES } from '../src/collect/config-records';
import { EVIDENCE_KINDS, type EvidenceKind } from '../src/evidence/kinds';
import type { PackManifest } from '../src/evidence/manifest';
import { PROCESS_CHECK_IDENTIFIER, type ComplianceType, type ConfigRule, type Evaluation, type RecorderStatus, type Resource } from '../src/evidence/records';
import { scanLines } from '../test/helpers/fake-aws/lines';

/** What the minimum number of API calls depends on, for one account and Region of the estate. */
export interface LocationStats {
  accountId: string;
  region: string;
  /**
   * Per rule: its results of any type, of the types collect asks an account for, and COMPLIANT
   * or NON_COMPLIANT (whose annotations bulk reads per rule for a process check).
   */
  rules: { results: number; asked: number; judged: number; processCheck: boolean }[];
  /** Rules per conformance pack. */
  packs: number[];
  resources: number;
  /** Resources with a result of a rule listed here: one ResourceCompliance item each. */
  evaluatedResources: number;
}

export interface EstateStats {
  accounts: string[];
  locations: LocationStats[];
  evaluations: number;
  resources: number;
  reports: number;
  agreements: number;
  /** The pack's size on disk. */
  bytes: number;
}

const key = (r: { accountId: string; region: string }) => `${r.accountId}/${r.region}`;

/** Counts what the fake AWS will serve from a pack: one pass over each file, records not kept. */
export async function estateStats(packDir: string): Promise<EstateStats> {
  const file = (kind: EvidenceKind) => path.join(packDir, EVIDENCE_KINDS[kind].file);
  const each = <T>(kind: EvidenceKind, use: (record: T) => void) => scanLines(file(kind), (line) => use(JSON.parse(line) as T));
  const asked = new Set<ComplianceType>(EVALUATION_RESULT_TYPES);

  const locations = new Map<string, LocationStats>();
  await each<RecorderStatus>('recorderStatus', (r) => locations.set(key(r), { accountId: r.accountId, region: r.region, rules: [], packs: [], resources: 0, evaluatedResources: 0 }));
  const rules = new Map<string, LocationStats['rules'][number]>();
  const packs = new Map<string, Map<string, number>>();
  await each<ConfigRule>('configRules', (r) => {
    const loc = locations.get(key(r))!;
    const counts = { results: 0, asked: 0, judged: 0, processCheck: r.sourceIdentifier === PROCESS_CHECK_IDENTIFIER };
    loc.rules.push(counts);
    rules.set(`${key(r)}/${r.ruleName}`, counts);
    if (r.conformancePack) {
      const here = packs.get(key(r)) ?? new Map<string, number>();
      packs.set(key(r), here.set(r.conformancePack, (here.get(r.conformancePack) ?? 0) + 1));
    }
  });
  for (const [at, here] of packs) locations.get(at)!.packs = [...here.values()];
  let evaluations = 0;
  const evaluated = new Map<string, Set<string>>();
  await each<Evaluation>('evaluations', (e) => {
    evaluations++;
    const counts = rules.get(`${key(e)}/${e.ruleName}`);
    if (!counts) return;
    counts.results++;
    if (asked.has(e.complianceType)) counts.asked++;
    if (e.complianceType === 'COMPLIANT' || e.complianceType === 'NON_COMPLIANT') counts.judged++;
    const here = evaluated.get(key(e)) ?? new Set<string>();
    evaluated.set(key(e), here.add(`${e.resourceType}\u0000${e.resourceId}`));
  });
  for (const [at, here] of evaluated) locations.get(at)!.evaluatedResources = here.size;
  let resources = 0;
  await each<Resource>('resources', (r) => {
    resources++;
    locations.get(key(r))!.resources++;
  });

  const manifest = JSON.parse(readFileSync(path.join(packDir, 'manifest.json'), 'utf8')) as PackManifest;
  const records = (kind: EvidenceKind) => manifest.files.find((f) => f.path === EVIDENCE_KINDS[kind].file)?.records ?? 0;
  return {
    accounts: manifest.scope.accounts.map((a) => a.accountId),
    locations: [...locations.values()],
    evaluations,
    resources,
    reports: records('artifactReports'),
    agreements: records('artifactAgreements'),
    bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
  };
}
