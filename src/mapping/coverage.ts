import conformancePacks from '../facts/conformance-packs.json';
import type { ConfigRule } from '../evidence/records';
import { baselineControls, type Baseline, type Catalog } from './catalog';
import type { MappingProblem, Mappings } from './mappings';
import { RESPONSIBILITIES, SERVICE_CATEGORIES, type Responsibility, type ServiceCategory } from './responsibility';
import { accountForRules, deployedNotMapped, type DeployedNotMapped, type RuleAccounting } from './rule-accounting';

export const EVIDENCE_SOURCES = ['automated', 'inherited', 'attested', 'none'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** What `auditpack mappings check` reports: how far the mappings carry a baseline. */
export interface Coverage {
  catalogVersion: string;
  catalogSource: string;
  statementsLoaded: boolean;
  baseline: Baseline;
  /** Controls and principles of the baseline. */
  controls: number;
  principles: number;
  /** The most demanding responsibility over every service category (no pack narrows them). */
  byResponsibility: Record<Responsibility, number>;
  byCategory: Record<ServiceCategory, Record<Responsibility, number>>;
  /**
   * Where each control's evidence is expected to come from: a mapped Config rule (or data
   * residency), an Artifact report for a fully inherited control, an attestation in the given
   * pack, or nowhere yet.
   */
  byEvidenceSource: Record<EvidenceSource, number>;
  declaredNotApplicable: number;
  conformancePackRules: number;
  /** Managed rules of the current ACSC conformance packs that no mapping accounts for. */
  unmappedRules: string[];
  /** Whether the managed rule list and every recorded ACSC pack version are accounted for. */
  ruleAccounting: RuleAccounting;
  /** With `--pack`: its deployed AWS managed rules that decide no control; null without a pack. */
  deployedNotMapped: DeployedNotMapped[] | null;
  /** Ids and titles used by the mappings that the catalog does not hold (unknown or retired). */
  unknownControlIds: MappingProblem[];
}

const zero = () => Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as Record<Responsibility, number>;

/** What `--pack` contributes: the controls its attestations cover and the Config rules it holds. */
export interface PackEvidence {
  attestedIds: ReadonlySet<string>;
  rules: Pick<ConfigRule, 'sourceOwner' | 'sourceIdentifier' | 'ruleName'>[];
}

export function coverage(catalog: Catalog, baseline: Baseline, mappings: Mappings, pack?: PackEvidence): Coverage {
  const attestedIds = pack?.attestedIds ?? new Set<string>();
  const controls = baselineControls(catalog, baseline);
  const byResponsibility = zero();
  const byCategory = Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, zero()])) as Coverage['byCategory'];
  const byEvidenceSource = Object.fromEntries(EVIDENCE_SOURCES.map((s) => [s, 0])) as Record<EvidenceSource, number>;
  const automated = new Set([...mappings.ruleControls.values()].flat().concat(mappings.residency.controls));
  const reported = new Set([...mappings.reportControls.values()].flatMap((ids) => [...ids]));
  let declaredNotApplicable = 0;

  for (const control of controls) {
    const { byCategory: split } = mappings.responsibilityOf(control);
    const values = SERVICE_CATEGORIES.map((c) => split[c]);
    for (const c of SERVICE_CATEGORIES) byCategory[c][split[c]]++;
    byResponsibility[RESPONSIBILITIES.find((r) => values.includes(r))!]++;
    const inherited = values.every((v) => v === 'inherited');
    const source: EvidenceSource = automated.has(control.id)
      ? 'automated'
      : inherited && reported.has(control.id)
        ? 'inherited'
        : attestedIds.has(control.id)
          ? 'attested'
          : 'none';
    byEvidenceSource[source]++;
    if (mappings.notApplicable(control) !== null) declaredNotApplicable++;
  }

  const deployed = [...new Set(conformancePacks.packs.flatMap((p) => p.rules.map((r) => r.identifier)))].sort();
  return {
    catalogVersion: catalog.version,
    catalogSource: catalog.source,
    statementsLoaded: catalog.statementsLoaded,
    baseline,
    controls: controls.length,
    principles: controls.filter((c) => c.kind === 'principle').length,
    byResponsibility,
    byCategory,
    byEvidenceSource,
    declaredNotApplicable,
    conformancePackRules: deployed.length,
    unmappedRules: deployed.filter((id) => !mappings.ruleMappings.has(id)),
    ruleAccounting: accountForRules(mappings),
    deployedNotMapped: pack ? deployedNotMapped(mappings, pack.rules) : null,
    unknownControlIds: mappings.problems,
  };
}

export function describeCoverage(c: Coverage): string {
  const counts = (r: Record<string, number>) => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `ISM catalog ${c.catalogVersion} (${c.catalogSource}${c.statementsLoaded ? '' : ', no statement text'})`,
    `${c.baseline}: ${c.controls} controls and principles (${c.controls - c.principles} controls, ${c.principles} principles)`,
    `Responsibility (most demanding over all categories): ${counts(c.byResponsibility)}`,
    ...SERVICE_CATEGORIES.map((cat) => `  ${cat}: ${counts(c.byCategory[cat])}`),
    `Evidence source: ${counts(c.byEvidenceSource)}${c.declaredNotApplicable ? `; declared not applicable ${c.declaredNotApplicable}` : ''}`,
    `ACSC conformance pack rules: ${c.conformancePackRules}, unmapped ${c.unmappedRules.length}${c.unmappedRules.length ? `: ${c.unmappedRules.join(', ')}` : ''}`,
    ...describeAccounting(c.ruleAccounting),
    ...(c.deployedNotMapped === null ? [] : describeDeployedNotMapped(c.deployedNotMapped)),
    `Unknown or retired control ids: ${c.unknownControlIds.length ? '' : 'none'}`,
    ...c.unknownControlIds.map((p) => `  ${p.file}:${p.line}: ${p.message}`),
  ].join('\n');
}

function describeAccounting(a: RuleAccounting): string[] {
  const line = (l: RuleAccounting['managedRuleList']) => `  ${l.name}${l.commit ? ` @${l.commit.slice(0, 12)}` : ''}: ${l.identifiers} identifiers, unaccounted ${l.unaccounted.length}${l.unaccounted.length ? `: ${l.unaccounted.join(', ')}` : ''}`;
  return [`Rule identifiers without a mapping decision: ${a.unaccountedTotal}`, line(a.managedRuleList), ...a.packVersions.map(line)];
}

function describeDeployedNotMapped(rules: DeployedNotMapped[]): string[] {
  return [
    `Deployed, not mapped (rules in the pack that decide no control): ${rules.length ? rules.length : 'none'}`,
    ...rules.map((r) => `  ${r.identifier} (${r.ruleNames.join(', ')}): ${r.reason ?? 'no mapping; add it to config-rules.yaml in your --mappings folder'}`),
  ];
}
