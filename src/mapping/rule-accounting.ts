import packHistory from '../facts/acsc-pack-history.json';
import conformancePacks from '../facts/conformance-packs.json';
import managedRules from '../facts/managed-rules.json';
import type { Mappings } from './mappings';

/** One list of rule identifiers that the mappings must account for, and those they do not. */
export interface IdentifierList {
  /** The managed rule list, or a pack's name. */
  name: string;
  /** Where the list comes from: repository, commit and path for a pack version. */
  source: string;
  /** The pack version's commit; null for the managed rule list. */
  commit: string | null;
  identifiers: number;
  /** Identifiers with neither controls nor a noControl reason in the mappings. */
  unaccounted: string[];
}

/** Whether every rule identifier auditpack knows of has a mapping decision. */
export interface RuleAccounting {
  managedRuleList: IdentifierList;
  /** Every recorded ACSC pack version: the current templates, then the earlier versions. */
  packVersions: IdentifierList[];
  /** Distinct unaccounted identifiers over all the lists above. */
  unaccountedTotal: number;
}

/** A rule deployed in an evidence pack whose results decide no control. */
export interface DeployedNotMapped {
  identifier: string;
  /** The deployed rule names (they differ per deployment and region). */
  ruleNames: string[];
  /** Why the rule decides no control (no ISM control, or supporting evidence only), or null when nothing maps it. */
  reason: string | null;
}

interface PackVersion {
  name: string;
  source: string;
  commit: string;
  identifiers: readonly string[];
}

/** The current ACSC templates and every earlier version recorded in the facts. */
export function recordedPackVersions(): PackVersion[] {
  const { repository, folder, commit } = conformancePacks.source;
  return [
    ...conformancePacks.packs.map((p) => ({ name: p.name, source: `${repository}@${commit}:${folder}/${p.name}.yaml`, identifiers: p.rules.map((r) => r.identifier), commit })),
    ...packHistory.versions.map((v) => ({ name: v.pack, source: `${v.repository}@${v.commit}:${v.path}`, identifiers: v.identifiers, commit: v.commit })),
  ];
}

export function managedRuleIdentifiers(): readonly string[] {
  return managedRules.identifiers;
}

export function accountForRules(mappings: Pick<Mappings, 'ruleMappings'>): RuleAccounting {
  const list = (name: string, source: string, commit: string | null, identifiers: readonly string[]): IdentifierList => ({
    name,
    source,
    commit,
    identifiers: identifiers.length,
    unaccounted: [...new Set(identifiers.filter((id) => !mappings.ruleMappings.has(id)))].sort(),
  });
  const managedRuleList = list('managed rule list', managedRules.derivedFrom, null, managedRules.identifiers);
  const packVersions = recordedPackVersions().map((v) => list(v.name, v.source, v.commit, v.identifiers));
  const unaccountedTotal = new Set([managedRuleList, ...packVersions].flatMap((l) => l.unaccounted)).size;
  return { managedRuleList, packVersions, unaccountedTotal };
}

/**
 * The AWS managed rules of an evidence pack whose evaluations decide no control: mapped to none
 * (with the reason) or not mapped at all. Process checks share one identifier and map by rule
 * name elsewhere, so they are not listed here.
 */
export function deployedNotMapped(
  mappings: Pick<Mappings, 'ruleMappings' | 'ruleControls'>,
  rules: Iterable<{ sourceOwner: string; sourceIdentifier: string; ruleName: string }>,
): DeployedNotMapped[] {
  const names = new Map<string, Set<string>>();
  for (const r of rules) {
    if (r.sourceOwner !== 'AWS' || r.sourceIdentifier === 'AWS_CONFIG_PROCESS_CHECK' || mappings.ruleControls.has(r.sourceIdentifier)) continue;
    names.set(r.sourceIdentifier, (names.get(r.sourceIdentifier) ?? new Set()).add(r.ruleName));
  }
  return [...names]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([identifier, ruleNames]) => {
      const m = mappings.ruleMappings.get(identifier);
      const reason = m?.kind === 'none' ? m.reason : m?.kind === 'supports' ? `Supporting evidence only (${m.supporting.join(', ')}). ${m.rationale}` : null;
      return { identifier, ruleNames: [...ruleNames].sort(), reason };
    });
}
