import type { ArtifactAgreement, ArtifactReport, ComplianceType, ConfigRule, Evaluation, RecorderStatus, Resource } from '../../../src/evidence/records';

/**
 * What the fake AWS serves, indexed so that every request finds its account, Region and rule
 * directly: the small estates of the tests (arrays in memory) and the benchmark's organisation
 * (millions of evaluations read from a pack on disk as pages are asked for) look the same here.
 */

/** What a listing pages through: an array, or records read from disk only when a page needs them. */
export interface Sequence<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

export type RuleCompliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'INSUFFICIENT_DATA';

export interface RuleEntry {
  name: string;
  conformancePack: string | null;
  /** The rule-level compliance Config derives from all of the rule's results. */
  compliance: RuleCompliance;
  /** Results of any compliance type. */
  resultCount: number;
  results(types: readonly string[]): Sequence<Evaluation>;
}

export interface LocationData {
  accountId: string;
  region: string;
  recorder: RecorderStatus;
  rules: readonly RuleEntry[];
  /** The rule records, in the order of `rules`. */
  ruleRecords: Sequence<ConfigRule>;
  rule(name: string): RuleEntry | undefined;
  resources: Sequence<Resource>;
  /** Whether the recorder records AWS::Config::ResourceCompliance (config-compliance.ts). */
  recordsCompliance: boolean;
  /** The resources with at least one result: one ResourceCompliance item each. */
  complianceItems: number;
}

export interface FakeData {
  accounts: readonly string[];
  locations: readonly LocationData[];
  at(accountId: string, region: string): LocationData | undefined;
  reports: readonly ArtifactReport[];
  agreements: readonly ArtifactAgreement[];
}

/** The rule-level compliance Config derives from a rule's result types. */
export function complianceOf(types: Iterable<ComplianceType>): RuleCompliance {
  let compliant = false;
  for (const t of types) {
    if (t === 'NON_COMPLIANT') return 'NON_COMPLIANT';
    if (t === 'COMPLIANT') compliant = true;
  }
  return compliant ? 'COMPLIANT' : 'INSUFFICIENT_DATA';
}

export const locationKey = (accountId: string, region: string) => `${accountId}/${region}`;

/** Looks locations up by account and Region. */
export function byLocation<L extends { accountId: string; region: string }>(locations: readonly L[]): (accountId: string, region: string) => L | undefined {
  const index = new Map(locations.map((l) => [locationKey(l.accountId, l.region), l]));
  return (accountId, region) => index.get(locationKey(accountId, region));
}

/** Several sequences read as one, e.g. the inventory of every location an aggregator holds. */
export function concat<T>(parts: readonly Sequence<T>[]): Sequence<T> {
  const starts: number[] = [];
  let length = 0;
  for (const p of parts) {
    starts.push(length);
    length += p.length;
  }
  return {
    length,
    slice(start, end) {
      const out: T[] = [];
      for (let i = 0; i < parts.length && out.length < end - start; i++) {
        const from = Math.max(start - starts[i], 0);
        const to = Math.min(end - starts[i], parts[i].length);
        if (from < to) out.push(...parts[i].slice(from, to));
      }
      return out;
    },
  };
}
