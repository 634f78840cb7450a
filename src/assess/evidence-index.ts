import type { EvidencePack } from '../evidence/reader';
import type { ArtifactReport, Attestation, ComplianceType, RiskException } from '../evidence/records';
import type { PracticeTally } from './practices';
import type { ComplianceCounts, Finding, ResidencyFinding } from './result';

/** Findings kept per rule: enough for the report's "first failing resources"; the pack has all. */
export const FINDINGS_PER_RULE = 25;
/** Resources outside the allowed regions listed in the result; the total counts them all. */
export const RESIDENCY_FINDINGS_KEPT = 1000;

export const zeroCounts = (): ComplianceCounts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 });

export function addCounts(into: ComplianceCounts, from: ComplianceCounts): void {
  for (const k of Object.keys(from) as ComplianceType[]) into[k] += from[k];
}

export const locationKey = (accountId: string, region: string) => `${accountId}/${region}`;

export interface RuleIndex {
  ruleNames: Set<string>;
  counts: ComplianceCounts;
  byLocation: Map<string, ComplianceCounts>;
  findings: Finding[];
}

/**
 * Everything the assessment needs from a pack, gathered in one streaming pass per file so that
 * memory grows with the number of rules and locations, not with the number of evaluations.
 */
export interface EvidenceIndex {
  /** Locations (account/region) whose configuration recorder is recording. */
  recording: Set<string>;
  rules: Map<string, RuleIndex>;
  /** Identifiers of the Config rules the pack describes, whether or not they have evaluations. */
  deployedIdentifiers: Set<string>;
  evaluationTotals: ComplianceCounts;
  resourceTypes: Set<string>;
  resourceCount: number;
  outsideRegions: { kept: ResidencyFinding[]; total: number };
  reports: ArtifactReport[];
  attestations: Attestation[];
  exceptions: RiskException[];
  /** Managed rule identifiers deployed anywhere in scope. */
  deployed: Set<string>;
}

export async function indexEvidence(pack: EvidencePack, allowedRegions: ReadonlySet<string>, practices: PracticeTally): Promise<EvidenceIndex> {
  const recording = new Set<string>();
  for await (const r of pack.records('recorderStatus')) if (r.recording) recording.add(locationKey(r.accountId, r.region));

  const identifierByRule = new Map<string, string>();
  for await (const r of pack.records('configRules')) identifierByRule.set(`${locationKey(r.accountId, r.region)}/${r.ruleName}`, r.sourceIdentifier);

  const rules = new Map<string, RuleIndex>();
  const evaluationTotals = zeroCounts();
  const resourceTypes = new Set<string>();
  for await (const e of pack.records('evaluations')) {
    const location = locationKey(e.accountId, e.region);
    // An evaluation of a rule the pack does not describe cannot be tied to a control; it still counts in totals.
    const identifier = identifierByRule.get(`${location}/${e.ruleName}`);
    evaluationTotals[e.complianceType]++;
    if (e.resourceType !== 'AWS::::Account') resourceTypes.add(e.resourceType);
    if (!identifier) continue;
    let rule = rules.get(identifier);
    if (!rule) rules.set(identifier, (rule = { ruleNames: new Set(), counts: zeroCounts(), byLocation: new Map(), findings: [] }));
    rule.ruleNames.add(e.ruleName);
    rule.counts[e.complianceType]++;
    practices.observe(identifier, e.accountId, `${e.resourceType}\n${e.resourceId}\n${e.region}`, e.complianceType);
    let here = rule.byLocation.get(location);
    if (!here) rule.byLocation.set(location, (here = zeroCounts()));
    here[e.complianceType]++;
    if (e.complianceType === 'NON_COMPLIANT' && rule.findings.length < FINDINGS_PER_RULE) {
      rule.findings.push({
        accountId: e.accountId,
        region: e.region,
        ruleName: e.ruleName,
        sourceIdentifier: identifier,
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        annotation: e.annotation,
        resultRecordedTime: e.resultRecordedTime,
      });
    }
  }

  let resourceCount = 0;
  const outsideRegions = { kept: [] as ResidencyFinding[], total: 0 };
  for await (const r of pack.records('resources')) {
    resourceCount++;
    resourceTypes.add(r.resourceType);
    if (!allowedRegions.has(r.region)) {
      outsideRegions.total++;
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
    deployedIdentifiers: new Set(identifierByRule.values()),
    evaluationTotals,
    resourceTypes,
    resourceCount,
    outsideRegions,
    reports: await collect(pack.records('artifactReports')),
    attestations: await collect(pack.records('attestations')),
    exceptions: await collect(pack.records('exceptions')),
    deployed: new Set(identifierByRule.values()),
  };
}
