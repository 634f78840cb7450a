import path from 'node:path';
import type { EvidencePack } from '../evidence/reader';
import { PROCESS_CHECK_IDENTIFIER, type ArtifactReport, type Attestation, type RiskException } from '../evidence/records';
import { baselineControls, type Baseline, type Catalog } from '../mapping/catalog';
import { BUILTIN_MAPPINGS_DIR, type Mappings, type RuleMapping } from '../mapping/mappings';
import { RESPONSIBILITIES, SERVICE_CATEGORIES, type Responsibility, type ServiceCategory } from '../mapping/responsibility';
import { TOOL } from '../version';
import { annexResponsibility, IMPLEMENTATION_STATUSES } from './annex';
import { implementationComments } from './annex-comments';
import { collectionDay, expiredAt } from './expiry';
import { ownerOf, type ControlOwners, type SystemIdentity } from './owners';
import {
  addCounts,
  COMPLIANT_CITED_PER_RULE,
  compliantStrictly,
  CONFORMANCE_PACKS_KEPT,
  distinctResults,
  failingStrictly,
  indexEvidence,
  locationKey,
  PARAMETER_SETS_KEPT,
  ruleSummary,
  zeroCounts,
  type EvidenceIndex,
} from './evidence-index';
import { scopeReports, serviceOf } from './inheritance';
import { describePackFiles } from './pack-files';
import {
  RESULT_FORMAT,
  RESULT_FORMAT_VERSION,
  STATUSES,
  type AssessmentResult,
  type AttestationRef,
  type CarriedForwardRef,
  type ControlAssessment,
  type ExceptionRef,
  type Finding,
  type LocationCounts,
  type ManualState,
  type ProcessCheckRef,
  type ReportRef,
  type RuleEvidence,
  type UnmappedRule,
} from './result';
import { assessPractices, PracticeTally, type PracticeAssessment } from './practices';
import { decideStatus } from './status';

/** Findings listed per control in the result; the count and the pack carry the rest. */
export const FINDINGS_PER_CONTROL = 25;

export interface AssessInput {
  pack: EvidencePack;
  catalog: Catalog;
  baseline: Baseline;
  mappings: Mappings;
  /** The date statuses are judged at (YYYY-MM-DD); defaults to the day collection completed. */
  asOf?: string;
  /** Regions where data may reside; default: those of the data residency mapping (Australian). */
  allowedRegions?: readonly string[];
  /** Where the result will say the pack is (see `pack.location`); default: the pack's folder as opened. */
  packLocation?: string;
  /** The system file's system and control owners; without them the result names neither. */
  system?: SystemIdentity;
  owners?: ControlOwners;
}

/** Most demanding first: a control is only as inherited as its least inherited category. */
const demand = (r: Responsibility) => RESPONSIBILITIES.indexOf(r);

function servicesInUse(index: EvidenceIndex, mappings: Mappings): AssessmentResult['servicesInUse'] {
  const byCategory = new Map<ServiceCategory, string[]>();
  for (const type of [...index.resourceTypes].sort()) {
    // An unclassified service is treated as infrastructure: the customer then owns the most.
    const category = mappings.categoryOf(type) ?? 'infrastructure';
    byCategory.set(category, [...(byCategory.get(category) ?? []), type]);
  }
  return SERVICE_CATEGORIES.filter((c) => byCategory.has(c)).map((category) => ({ category, resourceTypes: byCategory.get(category)! }));
}

/**
 * The unrecorded locations that could have held evidence for a control. Rules whose results
 * come from a single region across the whole estate evaluate global resources (IAM is
 * recorded once, in the home region), so a stopped recorder elsewhere hides nothing from
 * them; rules with results in several regions are regional, and every unrecorded location
 * may hide failures.
 */
function relevantUnrecorded(unrecorded: string[], regions: ReadonlySet<string>): string[] {
  if (regions.size > 1) return unrecorded;
  return unrecorded.filter((l) => regions.has(l.split('/')[1]));
}

/**
 * Turns an evidence pack into an assessment result for one baseline. It reads the pack and
 * nothing else; given the same pack, catalog, mappings and date it returns the same result.
 */
export async function assess(input: AssessInput): Promise<AssessmentResult> {
  const { pack, catalog, baseline, mappings } = input;
  const { manifest } = pack;
  const asOf = input.asOf ?? collectionDay(manifest.completedAt);
  const allowedRegions = [...(input.allowedRegions ?? mappings.residency.allowedRegions)];
  const allowed = new Set(allowedRegions);
  const index = await indexEvidence(pack, allowed);
  const residencyControls = new Set(mappings.residency.controls);

  const inUse = servicesInUse(index, mappings);
  // With no resources in the pack nothing narrows the categories, so all of them apply.
  const categories = inUse.length ? inUse.map((s) => s.category) : [...SERVICE_CATEGORIES];
  const unrecordedLocations = manifest.scope.accounts
    .flatMap((a) => manifest.scope.regions.filter((r) => allowed.has(r)).map((r) => locationKey(a.accountId, r)))
    .filter((l) => !index.recording.has(l));
  const configGaps = manifest.gaps.filter((g) => g.service === 'config').length;

  const reportsBySeries = new Map<string, ReportRef[]>();
  for (const r of index.reports) {
    if (r.state !== 'PUBLISHED') continue;
    const ref: ReportRef = { id: r.id, name: r.name, series: r.series, version: r.version, period: r.period, attachmentSha256: r.attachment?.sha256 ?? null };
    reportsBySeries.set(r.series, [...(reportsBySeries.get(r.series) ?? []), ref]);
  }
  const attestationRefs = index.attestations.map((a) => ({
    controlIds: a.controlIds,
    ref: { id: a.id, attester: a.attester, attestedOn: a.attestedOn, validUntil: a.validUntil, ...(a.implementation ? { implementation: a.implementation } : {}), expired: expiredAt(a.validUntil, asOf), attachments: a.attachments.map(({ name, sha256 }) => ({ name, sha256 })), ...carriedFrom(a) } satisfies AttestationRef,
  }));
  const exceptionRefs = index.exceptions.map((e) => ({
    controlIds: e.controlIds,
    ref: { id: e.id, owner: e.owner, approvedBy: e.approvedBy, expiresOn: e.expiresOn, expired: expiredAt(e.expiresOn, asOf), ...carriedFrom(e) } satisfies ExceptionRef,
  }));

  const rulesByControl = invert(mappings.ruleControls);
  const supportingByControl = invert(new Map([...mappings.ruleMappings].map(([identifier, m]) => [identifier, m.kind === 'none' ? [] : m.supporting])));
  const checksByControl = invert(new Map([...mappings.processChecks].map(([name, c]) => [name, c.controls])));
  const summaries = new Map([...index.rules].map(([identifier, rule]) => [identifier, ruleSummary(rule, index.locations)]));
  const processCheckRefs = processCheckResults(index, mappings, asOf);

  const controls = baselineControls(catalog, baseline).map((control): ControlAssessment => {
    const resolved = mappings.responsibilityOf(control);
    const responsibilityByCategory = Object.fromEntries(categories.map((c) => [c, resolved.byCategory[c]]));
    const responsibility = categories.map((c) => resolved.byCategory[c]).sort((a, b) => demand(a) - demand(b))[0];

    // Only rules the pack deploys can evidence a control: a mapped rule nobody deployed leaves the
    // control to attestations or manual review, as if it were unmapped.
    const mappedRules = (rulesByControl.get(control.id) ?? []).filter((id) => index.deployments.has(id)).sort();
    const counts = zeroCounts();
    const byLocation = new Map<string, LocationCounts>();
    const evaluatedRegions = new Set<string>();
    const rules = mappedRules.flatMap((identifier): RuleEvidence[] => {
      const evidence = ruleEvidence(index, mappings, summaries, identifier, 'decides');
      if (!evidence) return [];
      const rule = index.rules.get(identifier)!;
      const summary = summaries.get(identifier)!;
      addCounts(counts, summary.counts);
      for (const region of rule.evaluatedRegions) evaluatedRegions.add(region);
      for (const [location, c] of summary.byLocation) {
        let here = byLocation.get(location);
        if (!here) {
          const [accountId, region] = location.split('/');
          byLocation.set(location, (here = { accountId, region, counts: zeroCounts() }));
        }
        addCounts(here.counts, c);
      }
      return [evidence];
    });
    const supportingRules = (supportingByControl.get(control.id) ?? [])
      .filter((id) => !mappedRules.includes(id))
      .sort()
      .flatMap((identifier) => ruleEvidence(index, mappings, summaries, identifier, 'supports') ?? []);
    const findings = failingResources(index, rules.map((r) => r.sourceIdentifier));

    // AWS has a part wherever the control is not the customer's alone: those services must be in a report's scope.
    const awsServices = [...new Set(inUse.filter((s) => responsibilityByCategory[s.category] !== 'customer').flatMap((s) => s.resourceTypes.map(serviceOf)))].sort();
    const mappedReports = [...reportsBySeries].filter(([series]) => mappings.reportControls.get(series)?.has(control.id)).flatMap(([, refs]) => refs);
    const scoped = responsibility === 'customer' ? { reports: [], reportsExcluded: [] } : scopeReports(mappedReports, mappings.reportScopes, control.applicability, awsServices, asOf);
    const attestations = attestationRefs.filter((a) => a.controlIds.includes(control.id)).map((a) => a.ref);
    const processChecks = (checksByControl.get(control.id) ?? []).sort().flatMap((name) => processCheckRefs.get(name) ?? []);
    const exceptions = exceptionRefs.filter((e) => e.controlIds.includes(control.id)).map((e) => e.ref);
    const unrecorded = relevantUnrecorded(unrecordedLocations, evaluatedRegions);
    const notApplicable = mappings.notApplicable(control);
    const residencyFindings = residencyControls.has(control.id) ? index.outsideRegions.total : 0;
    const decision = decideStatus({
      responsibility,
      mappedRules,
      results: rules,
      unrecordedLocations: unrecorded,
      collectionGaps: configGaps,
      ...scoped,
      attestations,
      processChecks,
      exceptions,
      residencyFindings,
      notApplicable,
    });
    const evidence: ControlAssessment['evidence'] = {
      rules,
      supportingRules,
      byLocation: [...byLocation.values()].sort((a, b) => locationKey(a.accountId, a.region).localeCompare(locationKey(b.accountId, b.region))),
      findings,
      findingsTotal: counts.NON_COMPLIANT,
      attestations,
      processChecks,
      exceptions,
      ...scoped,
      residencyFindings,
    };
    const implementationText = implementationComments({
      responsibility,
      responsibilityByCategory,
      awsHalf: decision.awsHalf,
      evidence,
      mappedRules,
      unrecordedLocations: unrecorded,
      collectionGaps: configGaps,
      notApplicable,
      allowedRegions,
      asOf,
    });

    return {
      ...control,
      responsibility,
      responsibilityByCategory,
      ...decision,
      owner: input.owners ? ownerOf(input.owners, control) : null,
      annexResponsibility: annexResponsibility(responsibilityByCategory, responsibility),
      implementationComments: implementationText,
      evidence,
    };
  });

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as AssessmentResult['totals']['byStatus'];
  const byResponsibility = Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as AssessmentResult['totals']['byResponsibility'];
  const byImplementation = Object.fromEntries(IMPLEMENTATION_STATUSES.map((s) => [s, 0])) as AssessmentResult['totals']['byImplementation'];
  for (const c of controls) {
    byStatus[c.status]++;
    byResponsibility[c.responsibility]++;
    byImplementation[c.implementation]++;
  }
  const baselineIds = new Set(controls.map((c) => c.id));
  const manualEvidence = manualStates(index, controls);
  const ruleControls = Object.fromEntries(
    [...mappings.ruleControls]
      .map(([identifier, ids]) => [identifier, ids.filter((id) => baselineIds.has(id))] as const)
      .filter(([, ids]) => ids.length)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

  return {
    format: RESULT_FORMAT,
    formatVersion: RESULT_FORMAT_VERSION,
    tool: { ...TOOL },
    asOf,
    system: input.system ?? null,
    pack: {
      packId: manifest.packId,
      manifestSha256: pack.manifestSha256,
      period: manifest.period,
      sample: manifest.sample,
      organisation: manifest.organisation,
      scope: manifest.scope,
      startedAt: manifest.startedAt,
      completedAt: manifest.completedAt,
      gaps: manifest.gaps,
      location: input.packLocation ?? pack.dir,
      collectors: manifest.collectors,
      files: describePackFiles(manifest.files, manualEvidence, index.reports),
      ...(manifest.carryForward ? { carryForward: manifest.carryForward } : {}),
    },
    recorders: {
      locationsInScope: manifest.scope.accounts.length * manifest.scope.regions.filter((r) => allowed.has(r)).length,
      unrecorded: unrecordedLocations.map((l) => {
        const [accountId, region] = l.split('/');
        return { accountId, region };
      }),
    },
    catalog: { version: catalog.version, source: catalog.source, statementsLoaded: catalog.statementsLoaded },
    baseline,
    servicesInUse: inUse,
    dataResidency: {
      allowedRegions,
      controls: mappings.residency.controls.filter((id) => baselineIds.has(id)),
      resources: index.outsideRegions.kept,
      total: index.outsideRegions.total,
      byRegion: index.outsideRegions.byRegion,
    },
    artifactReports: artifactReportRefs(index.reports, controls),
    manualEvidence,
    ruleControls,
    processCheckControls: Object.fromEntries(
      [...mappings.processChecks].map(([name, c]) => [name, c.controls.filter((id) => baselineIds.has(id))] as const).filter(([, ids]) => ids.length).sort(([a], [b]) => a.localeCompare(b)),
    ),
    unmappedRules: unmappedRules(index, mappings, summaries),
    practices: practicesOf(index, mappings, ruleControls),
    totals: { controls: controls.length, byStatus, byResponsibility, byImplementation, evaluations: index.evaluationTotals, results: distinctTotals(summaries.values()), resources: index.resourceCount, ruleDeployments: index.ruleRecords },
    controls,
  };
}

type Summaries = ReadonlyMap<string, ReturnType<typeof ruleSummary>>;

/**
 * A rule identifier's evidence for a control, traced to the mapping that makes it evidence, its
 * deployments and the evaluations it cites; null when the pack holds no evaluation of it.
 */
function ruleEvidence(index: EvidenceIndex, mappings: Mappings, summaries: Summaries, identifier: string, role: 'decides' | 'supports'): RuleEvidence | null {
  const rule = index.rules.get(identifier);
  const summary = summaries.get(identifier);
  const mapping = mappings.ruleMappings.get(identifier);
  if (!rule || !summary || !mapping || mapping.kind === 'none') return null;
  const deployed = index.ruleDeployments.get(identifier);
  const parameterSets = [...(deployed?.parameterSets.values() ?? [])].sort((a, b) => b.deployments - a.deployments);
  const packs = [...(deployed?.conformancePacks ?? [])].sort();
  return {
    sourceIdentifier: identifier,
    mapping: { role, rationale: mapping.rationale, provenance: mapping.provenance, source: mappingSource(mapping) },
    ruleNames: [...rule.ruleNames].sort(),
    deployments: index.deployments.get(identifier) ?? 0,
    parameterSets: parameterSets.slice(0, PARAMETER_SETS_KEPT).map((p) => ({ parameters: p.parameters, deployments: p.deployments, where: [...p.where] })),
    parameterSetsTotal: parameterSets.length,
    conformancePacks: packs.slice(0, CONFORMANCE_PACKS_KEPT),
    conformancePacksTotal: packs.length,
    counts: summary.counts,
    disagreements: summary.disagreements,
    cited: {
      failing: rule.findings.map(({ sourceIdentifier: _id, annotation: _annotation, otherRules: _others, ...cited }) => ({ ...cited, complianceType: 'NON_COMPLIANT' as const })),
      compliant: rule.compliantCandidates.filter((c) => compliantStrictly(rule, index.keyOf(c))).slice(0, COMPLIANT_CITED_PER_RULE),
    },
  };
}

/** Where a rule mapping is written: the built-in files relative to the package (so results do not depend on the install path), the user's as given. */
function mappingSource(m: Exclude<RuleMapping, { kind: 'none' }>): string {
  const builtin = path.relative(BUILTIN_MAPPINGS_DIR, m.file);
  const file = builtin.startsWith('..') || path.isAbsolute(builtin) ? m.file : path.posix.join('mappings', ...builtin.split(path.sep));
  return `${file}:${m.line}`;
}

/** Each Artifact report of the pack with the controls it evidences and those whose scope it misses. */
export function artifactReportRefs(reports: readonly ArtifactReport[], controls: readonly ControlAssessment[]): AssessmentResult['artifactReports'] {
  return reports.map((r) => ({
    id: r.id,
    name: r.name,
    series: r.series,
    version: r.version,
    period: r.period,
    state: r.state,
    attachmentSha256: r.attachment?.sha256 ?? null,
    evidences: controls.filter((c) => c.evidence.reports.some((x) => x.id === r.id)).map((c) => c.id),
    excludedFrom: controls.filter((c) => c.evidence.reportsExcluded.some((x) => x.id === r.id)).map((c) => c.id),
  }));
}

/**
 * Every manual record of the pack with how the assessment used it: only the assessment judges
 * expiry, so a record no assessed control refers to (one for a control outside the baseline) is unused.
 */
export function manualStates(
  records: { attestations: readonly Attestation[]; exceptions: readonly RiskException[] },
  controls: readonly ControlAssessment[],
): AssessmentResult['manualEvidence'] {
  const attested = new Map<string, boolean>();
  const excepted = new Map<string, boolean>();
  for (const c of controls) {
    for (const a of c.evidence.attestations) attested.set(a.id, a.expired);
    for (const e of c.evidence.exceptions) excepted.set(e.id, e.expired);
  }
  const state = (expired: boolean | undefined): ManualState => (expired === undefined ? 'unused' : expired ? 'expired' : 'valid');
  return {
    attestations: records.attestations.map((a) => ({ ...a, state: state(attested.get(a.id)) })),
    exceptions: records.exceptions.map((e) => ({ ...e, state: state(excepted.get(e.id)) })),
  };
}

/** The record's carry-forward provenance, only when it has one: results of packs without it stay as they were. */
const carriedFrom = (r: { carriedForwardFrom?: CarriedForwardRef }) => (r.carriedForwardFrom ? { carriedForwardFrom: r.carriedForwardFrom } : {});

function invert(map: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, ids] of map) for (const id of ids) out.set(id, [...(out.get(id) ?? []), key]);
  return out;
}

function distinctTotals(summaries: Iterable<{ counts: LocationCounts['counts'] }>): LocationCounts['counts'] {
  const totals = zeroCounts();
  for (const s of summaries) addCounts(totals, s.counts);
  return totals;
}

/**
 * The control's first failing resources, each listed once: a resource failing several of its
 * rules is one finding naming the others, so no list repeats a resource.
 */
function failingResources(index: EvidenceIndex, identifiers: readonly string[]): Finding[] {
  const listed = new Map<string, Finding>();
  for (const identifier of identifiers) {
    for (const f of index.rules.get(identifier)!.findings) {
      const key = index.keyOf(f);
      if (listed.has(key) || listed.size >= FINDINGS_PER_CONTROL) continue;
      const otherRules = identifiers.filter((other) => other !== identifier && failingStrictly(index.rules.get(other)!, key));
      listed.set(key, { ...f, otherRules });
    }
  }
  return [...listed.values()];
}

/** Each mapped process check's recorded results, one per account, judged at the as-of date. */
function processCheckResults(index: EvidenceIndex, mappings: Mappings, asOf: string): Map<string, ProcessCheckRef[]> {
  const out = new Map<string, ProcessCheckRef[]>();
  for (const [name, check] of mappings.processChecks) {
    const results = [...(index.processChecks.get(name)?.values() ?? [])].sort((a, b) => a.accountId.localeCompare(b.accountId));
    out.set(
      name,
      results.map((r) => {
        const validUntil = new Date(Date.parse(r.resultRecordedTime) + check.validForDays * 86_400_000).toISOString().slice(0, 10);
        return { name, ...r, validUntil, expired: expiredAt(validUntil, asOf) };
      }),
    );
  }
  return out;
}

/** The service security practices of the services in use, judged on the distinct results of their rules. */
function practicesOf(index: EvidenceIndex, mappings: Mappings, ruleControls: Record<string, string[]>): PracticeAssessment[] {
  const tally = new PracticeTally(mappings.practices);
  for (const identifier of new Set(mappings.practices.flatMap((p) => p.rules))) {
    const rule = index.rules.get(identifier);
    if (rule) for (const r of distinctResults(rule, index.locations)) tally.observe(identifier, r.accountId, r.key, r.complianceType);
  }
  return assessPractices(tally, { resourceTypes: index.resourceTypes, deployed: new Set(index.deployments.keys()), ruleControls });
}

/** What config-rules.yaml says of an identifier that decides no control; null when it does not know the identifier. */
function notDecidingReason(mappings: Mappings, identifier: string): string | null {
  const m = mappings.ruleMappings.get(identifier);
  if (!m) return null;
  if (m.kind === 'none') return `Bears on no ISM control: ${m.reason}`;
  if (m.kind === 'supports') return `Supporting evidence only for ${m.supporting.join(', ')}: ${m.rationale}`;
  return null;
}

/** Deployed rules that decide no control, so the report lists them (with why) instead of dropping them. */
function unmappedRules(index: EvidenceIndex, mappings: Mappings, summaries: ReadonlyMap<string, { counts: LocationCounts['counts'] }>): UnmappedRule[] {
  const out: UnmappedRule[] = [];
  for (const [deployed, deployments] of [...index.deployments].sort(([a], [b]) => a.localeCompare(b))) {
    const check = deployed.startsWith(`${PROCESS_CHECK_IDENTIFIER}/`) ? deployed.slice(PROCESS_CHECK_IDENTIFIER.length + 1) : null;
    if (check !== null ? mappings.processChecks.has(check) : mappings.ruleControls.has(deployed)) continue;
    const counts = zeroCounts();
    if (check !== null) for (const r of index.processChecks.get(check)?.values() ?? []) counts[r.complianceType]++;
    else addCounts(counts, summaries.get(deployed)?.counts ?? zeroCounts());
    out.push({ sourceIdentifier: check !== null ? PROCESS_CHECK_IDENTIFIER : deployed, processCheck: check, deployments, counts, reason: check !== null ? null : notDecidingReason(mappings, deployed) });
  }
  return out;
}
