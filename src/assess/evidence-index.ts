import type { EvidencePack } from '../evidence/reader';
import { EVIDENCE_KINDS } from '../evidence/kinds';
import { PROCESS_CHECK_IDENTIFIER, templateName, type ArtifactReport, type Attestation, type ComplianceType, type ConfigRule, type Evaluation, type RiskException } from '../evidence/records';
import { parametersKey, resourceKey, STRICTNESS } from './distinct';
import type { CitedEvaluation, ComplianceCounts, Finding, ResidencyFinding } from './result';

/** Findings kept per rule: enough for the report's "first failing resources"; the pack has all. */
export const FINDINGS_PER_RULE = 25;
/** Resources outside the allowed regions listed in the result; the total counts them all. */
export const RESIDENCY_FINDINGS_KEPT = 1000;
/** Compliant evaluations cited per rule identifier: a sample an assessor can open; the counts give the rest. */
export const COMPLIANT_CITED_PER_RULE = 3;
/**
 * Compliant candidates kept per rule while reading, more than are cited because a later, stricter
 * deployment may overrule one (its resource then no longer counts as compliant).
 */
const COMPLIANT_CANDIDATES_PER_RULE = 2 * COMPLIANT_CITED_PER_RULE;
/** Per rule identifier: parameter sets and conformance packs listed, and deployments named per set; totals count them all. */
export const PARAMETER_SETS_KEPT = 10;
export const DEPLOYMENTS_NAMED_PER_SET = 5;
export const CONFORMANCE_PACKS_KEPT = 10;
const EVALUATIONS_FILE = EVIDENCE_KINDS.evaluations.file;

export const zeroCounts = (): ComplianceCounts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 });

export function addCounts(into: ComplianceCounts, from: ComplianceCounts): void {
  for (const k of Object.keys(from) as ComplianceType[]) into[k] += from[k];
}

export const locationKey = (accountId: string, region: string) => `${accountId}/${region}`;


/**
 * One distinct result, packed into a number because a large estate holds millions of them: the
 * strictest result any deployment gave (STRICTNESS, 2 bits), a bit per result seen (4 bits),
 * whether deployments with different parameters judged it (1 bit), the first deployment's
 * parameter set, and the location of the deciding result.
 */
const STRICTNESS_RADIX = 4;
const SEEN_RADIX = 16;
const DIFFER = 64;
const PARAMETER_SETS = 65_536;
const BY_STRICTNESS = Object.entries(STRICTNESS).sort(([, a], [, b]) => a - b).map(([t]) => t as ComplianceType);

interface Slot {
  strictness: number;
  seen: number;
  parametersDiffer: boolean;
  parameters: number;
  location: number;
}

const unpack = (v: number): Slot => ({
  strictness: v % STRICTNESS_RADIX,
  seen: Math.floor(v / STRICTNESS_RADIX) % SEEN_RADIX,
  parametersDiffer: Math.floor(v / DIFFER) % 2 === 1,
  parameters: Math.floor(v / (DIFFER * 2)) % PARAMETER_SETS,
  location: Math.floor(v / (DIFFER * 2 * PARAMETER_SETS)),
});
const pack = (s: Slot): number => s.strictness + STRICTNESS_RADIX * s.seen + (s.parametersDiffer ? DIFFER : 0) + DIFFER * 2 * (s.parameters % PARAMETER_SETS) + DIFFER * 2 * PARAMETER_SETS * s.location;

/** Small numbers for the strings every key repeats (accounts, Regions, resource types, locations). */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      this.ids.set(value, (id = this.values.length));
      this.values.push(value);
    }
    return id;
  }
}

export interface RuleIndex {
  ruleNames: Set<string>;
  /** Distinct results: one per resource (see distinct.ts), the strictest deciding, packed (see Slot). */
  results: Map<string, number>;
  /** Regions any of its evaluations came from, before results were made distinct. */
  evaluatedRegions: Set<string>;
  /** The first distinct failing results, in the order they were found. */
  findings: Finding[];
  /** The first resources found compliant, each once; cite only those whose distinct result stayed compliant. */
  compliantCandidates: CitedEvaluation[];
}

/** One deployment of a rule identifier: where, under which name, from which conformance pack. */
export interface DeploymentRef {
  accountId: string;
  region: string;
  ruleName: string;
  conformancePack: string | null;
}

/** How a rule identifier is deployed across the pack: its input parameter sets and conformance packs. */
export interface RuleDeployments {
  /** By parametersKey, in the order first seen; `where` names the first deployments of each set. */
  parameterSets: Map<string, { parameters: Record<string, string>; deployments: number; where: DeploymentRef[] }>;
  conformancePacks: Set<string>;
}

export interface ProcessCheckResult {
  accountId: string;
  region: string;
  ruleName: string;
  complianceType: ComplianceType;
  annotation: string | null;
  resultRecordedTime: string;
}

/**
 * Everything the assessment needs from a pack, gathered in one streaming pass per file. Memory
 * grows with the number of rules, locations and distinct results; raw evaluations are not kept.
 */
export interface EvidenceIndex {
  /** Locations (account/region) whose configuration recorder is recording. */
  recording: Set<string>;
  rules: Map<string, RuleIndex>;
  /** Process checks by template name: per account, the strictest result (the latest among equals). */
  processChecks: Map<string, Map<string, ProcessCheckResult>>;
  /** Rule records per identifier (process checks: `AWS_CONFIG_PROCESS_CHECK/<name>`), to tell deployed from mapped. */
  deployments: Map<string, number>;
  /** Parameters and conformance packs of each rule identifier deployed (process checks excluded). */
  ruleDeployments: Map<string, RuleDeployments>;
  /** The key of a resource's distinct result in `RuleIndex.results`. */
  keyOf(e: { accountId: string; region: string; resourceType: string; resourceId: string }): string;
  /** Location (account/region) of each packed location number. */
  locations: readonly string[];
  evaluationTotals: ComplianceCounts;
  resourceTypes: Set<string>;
  resourceCount: number;
  outsideRegions: { kept: ResidencyFinding[]; total: number; byRegion: { region: string; resources: number; accounts: number }[] };
  /** Rule records in the pack. */
  ruleRecords: number;
  reports: ArtifactReport[];
  attestations: Attestation[];
  exceptions: RiskException[];
}

/** Distinct counts of one rule, with how many resources its deployments judged differently. */
export function ruleSummary(rule: RuleIndex, locations: readonly string[]) {
  const counts = zeroCounts();
  const byLocation = new Map<string, ComplianceCounts>();
  const disagreements = { resources: 0, differentParameters: 0 };
  for (const packed of rule.results.values()) {
    const slot = unpack(packed);
    const type = BY_STRICTNESS[slot.strictness];
    counts[type]++;
    const location = locations[slot.location];
    let here = byLocation.get(location);
    if (!here) byLocation.set(location, (here = zeroCounts()));
    here[type]++;
    if (slot.seen & (slot.seen - 1)) {
      disagreements.resources++;
      if (slot.parametersDiffer) disagreements.differentParameters++;
    }
  }
  return { counts, byLocation, disagreements };
}

/** Each distinct result of a rule: its key (see distinct.ts), the account it belongs to and the deciding compliance type. */
export function* distinctResults(rule: RuleIndex, locations: readonly string[]): Generator<{ key: string; accountId: string; complianceType: ComplianceType }> {
  for (const [key, packed] of rule.results) {
    const slot = unpack(packed);
    yield { key, accountId: locations[slot.location].split('/')[0], complianceType: BY_STRICTNESS[slot.strictness] };
  }
}

export const failingStrictly = (rule: RuleIndex, key: string) => {
  const packed = rule.results.get(key);
  return packed !== undefined && BY_STRICTNESS[unpack(packed).strictness] === 'NON_COMPLIANT';
};

export const compliantStrictly = (rule: RuleIndex, key: string) => {
  const packed = rule.results.get(key);
  return packed !== undefined && BY_STRICTNESS[unpack(packed).strictness] === 'COMPLIANT';
};

const citation = (e: Evaluation, line: number): CitedEvaluation => ({
  file: EVALUATIONS_FILE,
  line,
  accountId: e.accountId,
  region: e.region,
  ruleName: e.ruleName,
  resourceType: e.resourceType,
  resourceId: e.resourceId,
  complianceType: e.complianceType,
  resultRecordedTime: e.resultRecordedTime,
});

function addResult(rule: RuleIndex, key: string, location: number, e: Evaluation, line: number, identifier: string, parameters: number): void {
  const strictness = STRICTNESS[e.complianceType];
  const packed = rule.results.get(key);
  if (packed === undefined && e.complianceType === 'COMPLIANT' && rule.compliantCandidates.length < COMPLIANT_CANDIDATES_PER_RULE) rule.compliantCandidates.push(citation(e, line));
  if (packed !== undefined) {
    const slot = unpack(packed);
    slot.seen |= 1 << strictness;
    if (slot.parameters !== parameters % PARAMETER_SETS) slot.parametersDiffer = true;
    const stricter = strictness > slot.strictness;
    if (stricter) Object.assign(slot, { strictness, location });
    rule.results.set(key, pack(slot));
    if (!stricter) return;
  } else {
    rule.results.set(key, pack({ strictness, seen: 1 << strictness, parametersDiffer: false, parameters, location }));
  }
  if (e.complianceType === 'NON_COMPLIANT' && rule.findings.length < FINDINGS_PER_RULE) {
    const { complianceType: _type, ...cited } = citation(e, line);
    rule.findings.push({ ...cited, sourceIdentifier: identifier, annotation: e.annotation, otherRules: [] });
  }
}

function addProcessCheck(checks: EvidenceIndex['processChecks'], e: Evaluation): void {
  const name = templateName(e.ruleName);
  let byAccount = checks.get(name);
  if (!byAccount) checks.set(name, (byAccount = new Map()));
  const seen = byAccount.get(e.accountId);
  const stricter = seen && STRICTNESS[e.complianceType] - STRICTNESS[seen.complianceType];
  if (seen && (stricter! < 0 || (stricter === 0 && seen.resultRecordedTime >= e.resultRecordedTime))) return;
  byAccount.set(e.accountId, { accountId: e.accountId, region: e.region, ruleName: e.ruleName, complianceType: e.complianceType, annotation: e.annotation, resultRecordedTime: e.resultRecordedTime });
}

function addDeployment(all: Map<string, RuleDeployments>, r: ConfigRule, key: string): void {
  let rule = all.get(r.sourceIdentifier);
  if (!rule) all.set(r.sourceIdentifier, (rule = { parameterSets: new Map(), conformancePacks: new Set() }));
  let set = rule.parameterSets.get(key);
  if (!set) rule.parameterSets.set(key, (set = { parameters: r.inputParameters, deployments: 0, where: [] }));
  set.deployments++;
  if (set.where.length < DEPLOYMENTS_NAMED_PER_SET) set.where.push({ accountId: r.accountId, region: r.region, ruleName: r.ruleName, conformancePack: r.conformancePack });
  if (r.conformancePack !== null) rule.conformancePacks.add(r.conformancePack);
}

export async function indexEvidence(pack: EvidencePack, allowedRegions: ReadonlySet<string>): Promise<EvidenceIndex> {
  const recording = new Set<string>();
  for await (const r of pack.records('recorderStatus')) if (r.recording) recording.add(locationKey(r.accountId, r.region));

  const ruleOf = new Map<string, { identifier: string; parameters: number }>();
  const parameterSets = new Map<string, number>();
  const deployments = new Map<string, number>();
  const ruleDeployments = new Map<string, RuleDeployments>();
  let ruleRecords = 0;
  for await (const r of pack.records('configRules')) {
    ruleRecords++;
    const p = parametersKey(r.inputParameters);
    if (r.sourceIdentifier !== PROCESS_CHECK_IDENTIFIER) addDeployment(ruleDeployments, r, p);
    if (!parameterSets.has(p)) parameterSets.set(p, parameterSets.size);
    ruleOf.set(`${locationKey(r.accountId, r.region)}/${r.ruleName}`, { identifier: r.sourceIdentifier, parameters: parameterSets.get(p)! });
    const deployed = r.sourceIdentifier === PROCESS_CHECK_IDENTIFIER ? `${PROCESS_CHECK_IDENTIFIER}/${templateName(r.ruleName)}` : r.sourceIdentifier;
    deployments.set(deployed, (deployments.get(deployed) ?? 0) + 1);
  }

  const parts = new Interner();
  const locations = new Interner();
  const keyOf = (e: { accountId: string; region: string; resourceType: string; resourceId: string }) =>
    resourceKey({ accountId: parts.id(e.accountId).toString(36), region: parts.id(e.region).toString(36), resourceType: e.resourceType, resourceId: e.resourceId }, parts.id(e.resourceType).toString(36));
  const rules = new Map<string, RuleIndex>();
  const processChecks: EvidenceIndex['processChecks'] = new Map();
  const evaluationTotals = zeroCounts();
  const resourceTypes = new Set<string>();
  // The pack reader yields one record per line and refuses blank lines, so the nth record is on line n.
  let line = 0;
  for await (const e of pack.records('evaluations')) {
    line++;
    // An evaluation of a rule the pack does not describe cannot be tied to a control; it still counts in totals.
    const deployed = ruleOf.get(`${locationKey(e.accountId, e.region)}/${e.ruleName}`);
    evaluationTotals[e.complianceType]++;
    if (e.resourceType !== 'AWS::::Account') resourceTypes.add(e.resourceType);
    if (!deployed) continue;
    if (deployed.identifier === PROCESS_CHECK_IDENTIFIER) {
      addProcessCheck(processChecks, e);
      continue;
    }
    let rule = rules.get(deployed.identifier);
    if (!rule) rules.set(deployed.identifier, (rule = { ruleNames: new Set(), results: new Map(), evaluatedRegions: new Set(), findings: [], compliantCandidates: [] }));
    rule.ruleNames.add(e.ruleName);
    rule.evaluatedRegions.add(e.region);
    addResult(rule, keyOf(e), locations.id(locationKey(e.accountId, e.region)), e, line, deployed.identifier, deployed.parameters);
  }

  let resourceCount = 0;
  const outsideRegions = { kept: [] as ResidencyFinding[], total: 0 };
  const outsideByRegion = new Map<string, { resources: number; accounts: Set<string> }>();
  for await (const r of pack.records('resources')) {
    resourceCount++;
    resourceTypes.add(r.resourceType);
    if (!allowedRegions.has(r.region)) {
      outsideRegions.total++;
      let here = outsideByRegion.get(r.region);
      if (!here) outsideByRegion.set(r.region, (here = { resources: 0, accounts: new Set() }));
      here.resources++;
      here.accounts.add(r.accountId);
      if (outsideRegions.kept.length < RESIDENCY_FINDINGS_KEPT) outsideRegions.kept.push({ accountId: r.accountId, region: r.region, resourceType: r.resourceType, resourceId: r.resourceId, arn: r.arn });
    }
  }

  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  return {
    recording,
    rules,
    processChecks,
    deployments,
    ruleDeployments,
    keyOf,
    locations: locations.values,
    evaluationTotals,
    resourceTypes,
    resourceCount,
    outsideRegions: {
      ...outsideRegions,
      byRegion: [...outsideByRegion].sort(([a], [b]) => a.localeCompare(b)).map(([region, e]) => ({ region, resources: e.resources, accounts: e.accounts.size })),
    },
    ruleRecords,
    reports: await collect(pack.records('artifactReports')),
    attestations: await collect(pack.records('attestations')),
    exceptions: await collect(pack.records('exceptions')),
  };
}
