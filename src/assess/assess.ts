import type { EvidencePack } from '../evidence/reader';
import { baselineControls, type Baseline, type Catalog } from '../mapping/catalog';
import type { Mappings } from '../mapping/mappings';
import { TOOL } from '../version';
import { addCounts, indexEvidence, locationKey, zeroCounts, type EvidenceIndex } from './evidence-index';
import {
  RESPONSIBILITIES,
  RESULT_FORMAT,
  RESULT_FORMAT_VERSION,
  SERVICE_CATEGORIES,
  STATUSES,
  type AssessmentResult,
  type AttestationRef,
  type ControlAssessment,
  type ExceptionRef,
  type Finding,
  type LocationCounts,
  type ReportRef,
  type Responsibility,
  type ServiceCategory,
} from './result';
import { assessPractices, PracticeTally } from './practices';
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
function relevantUnrecorded(unrecorded: string[], results: Map<string, LocationCounts>): string[] {
  const regions = new Set([...results.values()].map((l) => l.region));
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
  const asOf = input.asOf ?? manifest.completedAt.slice(0, 10);
  const allowedRegions = [...(input.allowedRegions ?? mappings.residency.allowedRegions)];
  const allowed = new Set(allowedRegions);
  const practiceTally = new PracticeTally(mappings.practices);
  const index = await indexEvidence(pack, allowed, practiceTally);
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
    ref: { id: a.id, attester: a.attester, attestedOn: a.attestedOn, validUntil: a.validUntil, expired: a.validUntil < asOf, attachments: a.attachments.map(({ name, sha256 }) => ({ name, sha256 })) } satisfies AttestationRef,
  }));
  const exceptionRefs = index.exceptions.map((e) => ({
    controlIds: e.controlIds,
    ref: { id: e.id, owner: e.owner, approvedBy: e.approvedBy, expiresOn: e.expiresOn, expired: e.expiresOn < asOf } satisfies ExceptionRef,
  }));

  const rulesByControl = new Map<string, string[]>();
  for (const [identifier, ids] of mappings.ruleControls) for (const id of ids) rulesByControl.set(id, [...(rulesByControl.get(id) ?? []), identifier]);

  const controls = baselineControls(catalog, baseline).map((control): ControlAssessment => {
    const resolved = mappings.responsibilityOf(control);
    const responsibilityByCategory = Object.fromEntries(categories.map((c) => [c, resolved.byCategory[c]]));
    const responsibility = categories.map((c) => resolved.byCategory[c]).sort((a, b) => demand(a) - demand(b))[0];

    // Only rules the pack deploys can evidence a control: a mapped rule nobody deployed leaves the
    // control to attestations or manual review, as if it were unmapped.
    const mappedRules = (rulesByControl.get(control.id) ?? []).filter((id) => index.deployedIdentifiers.has(id)).sort();
    const counts = zeroCounts();
    const byLocation = new Map<string, LocationCounts>();
    const findings: Finding[] = [];
    const rules = mappedRules.flatMap((identifier) => {
      const rule = index.rules.get(identifier);
      if (!rule) return [];
      addCounts(counts, rule.counts);
      for (const [location, c] of rule.byLocation) {
        let here = byLocation.get(location);
        if (!here) {
          const [accountId, region] = location.split('/');
          byLocation.set(location, (here = { accountId, region, counts: zeroCounts() }));
        }
        addCounts(here.counts, c);
      }
      findings.push(...rule.findings.slice(0, FINDINGS_PER_CONTROL - findings.length));
      return [{ sourceIdentifier: identifier, ruleNames: [...rule.ruleNames].sort(), counts: rule.counts }];
    });

    const reports = [...reportsBySeries].filter(([series]) => mappings.reportControls.get(series)?.has(control.id)).flatMap(([, refs]) => refs);
    const attestations = attestationRefs.filter((a) => a.controlIds.includes(control.id)).map((a) => a.ref);
    const exceptions = exceptionRefs.filter((e) => e.controlIds.includes(control.id)).map((e) => e.ref);
    const decision = decideStatus({
      responsibility,
      mappedRules,
      results: rules,
      unrecordedLocations: relevantUnrecorded(unrecordedLocations, byLocation),
      collectionGaps: configGaps,
      reports,
      attestations,
      exceptions,
      residencyFindings: residencyControls.has(control.id) ? index.outsideRegions.total : 0,
      notApplicable: mappings.notApplicable(control),
    });

    const { applicability: _applicability, essentialEight: _essentialEight, ...identity } = control;
    return {
      ...identity,
      responsibility,
      responsibilityByCategory,
      ...decision,
      evidence: {
        rules,
        byLocation: [...byLocation.values()].sort((a, b) => locationKey(a.accountId, a.region).localeCompare(locationKey(b.accountId, b.region))),
        findings,
        findingsTotal: counts.NON_COMPLIANT,
        attestations,
        exceptions,
        reports: responsibility === 'inherited' ? reports : [],
        residencyFindings: residencyControls.has(control.id) ? index.outsideRegions.total : 0,
      },
    };
  });

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as AssessmentResult['totals']['byStatus'];
  const byResponsibility = Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as AssessmentResult['totals']['byResponsibility'];
  for (const c of controls) {
    byStatus[c.status]++;
    byResponsibility[c.responsibility]++;
  }
  const baselineIds = new Set(controls.map((c) => c.id));
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
    },
    catalog: { version: catalog.version, source: catalog.source, statementsLoaded: catalog.statementsLoaded },
    baseline,
    servicesInUse: inUse,
    dataResidency: {
      allowedRegions,
      controls: mappings.residency.controls.filter((id) => baselineIds.has(id)),
      resources: index.outsideRegions.kept,
      total: index.outsideRegions.total,
    },
    ruleControls,
    practices: assessPractices(practiceTally, { resourceTypes: index.resourceTypes, deployed: index.deployed, ruleControls }),
    totals: { controls: controls.length, byStatus, byResponsibility, evaluations: index.evaluationTotals, resources: index.resourceCount },
    controls,
  };
}
