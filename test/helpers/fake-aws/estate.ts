import path from 'node:path';
import { openPack } from '../../../src/evidence/reader';
import type { ArtifactAgreement, ArtifactReport, ConfigRule, Evaluation, RecorderStatus, Resource } from '../../../src/evidence/records';
import { generateSamplePack } from '../../../src/sample';
import { ARTIFACT_AGREEMENTS, ARTIFACT_REPORTS } from '../../../src/sample/artifact';
import { byLocation, complianceOf, type FakeData, type LocationData, type RuleEntry } from './store';

/** What the fake AWS holds for one account and Region. */
export interface FakeLocation {
  accountId: string;
  region: string;
  recorder: RecorderStatus;
  rules: ConfigRule[];
  evaluations: Evaluation[];
  resources: Resource[];
  /** False for a recorder that leaves out AWS::Config::ResourceCompliance; recorded by default. */
  recordsCompliance?: boolean;
}

export interface FakeEstate {
  accounts: string[];
  regions: string[];
  locations: FakeLocation[];
  reports: readonly ArtifactReport[];
  agreements: readonly ArtifactAgreement[];
}

export const FAKE_REGIONS = ['ap-southeast-2', 'ap-southeast-4'];

/**
 * A small estate cut from the sample's (realistic rule names, identifiers, resources and
 * results): two accounts (unless told), the Australian Regions, and in each Region the rules
 * with the most results, so that every rule spans several of the fake's small pages.
 */
export async function sampleEstate(dir: string, rulesPerLocation = 5, accounts = 2): Promise<FakeEstate> {
  const packDir = path.join(dir, `sample-pack-${accounts}`);
  await generateSamplePack(packDir, { seed: 1, accounts, resourcesPerAccount: 40, period: '2026-Q4' });
  const pack = await openPack(packDir);
  const all = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  const [recorders, rules, evaluations, resources] = await Promise.all([
    all(pack.records('recorderStatus')),
    all(pack.records('configRules')),
    all(pack.records('evaluations')),
    all(pack.records('resources')),
  ]);
  const here = <T extends { accountId: string; region: string }>(list: T[], r: RecorderStatus) => list.filter((x) => x.accountId === r.accountId && x.region === r.region);
  const locations = recorders
    .filter((r) => FAKE_REGIONS.includes(r.region))
    .map((recorder) => {
      const results = here(evaluations, recorder);
      const count = (rule: ConfigRule) => results.filter((e) => e.ruleName === rule.ruleName).length;
      const kept = here(rules, recorder)
        .sort((a, b) => count(b) - count(a) || a.ruleName.localeCompare(b.ruleName))
        .slice(0, rulesPerLocation);
      const names = new Set(kept.map((r) => r.ruleName));
      return { accountId: recorder.accountId, region: recorder.region, recorder, rules: kept, evaluations: results.filter((e) => names.has(e.ruleName)), resources: here(resources, recorder) };
    });
  return {
    accounts: pack.manifest.scope.accounts.map((a) => a.accountId),
    regions: FAKE_REGIONS,
    locations,
    reports: ARTIFACT_REPORTS,
    agreements: ARTIFACT_AGREEMENTS,
  };
}

/** The rule-level compliance Config derives from a rule's results. */
export const ruleCompliance = (results: Evaluation[]) => complianceOf(results.map((e) => e.complianceType));

/** A test estate as the fake serves it. */
export function estateData(estate: FakeEstate): FakeData {
  const locations = estate.locations.map(serveLocation);
  return { accounts: estate.accounts, locations, at: byLocation(locations), reports: estate.reports, agreements: estate.agreements };
}

function serveLocation(l: FakeLocation): LocationData {
  const results = new Map<string, Evaluation[]>(l.rules.map((r) => [r.ruleName, []]));
  for (const e of l.evaluations) results.get(e.ruleName)?.push(e);
  const rules = l.rules.map((r): RuleEntry => {
    const mine = results.get(r.ruleName)!;
    return {
      name: r.ruleName,
      conformancePack: r.conformancePack,
      compliance: complianceOf(mine.map((e) => e.complianceType)),
      resultCount: mine.length,
      results: (types) => mine.filter((e) => types.includes(e.complianceType)),
    };
  });
  const byName = new Map(rules.map((r) => [r.name, r]));
  const evaluated = new Set(l.evaluations.filter((e) => results.has(e.ruleName)).map((e) => `${e.resourceType}\u0000${e.resourceId}`));
  return {
    accountId: l.accountId,
    region: l.region,
    recorder: l.recorder,
    rules,
    ruleRecords: l.rules,
    rule: (name) => byName.get(name),
    resources: l.resources,
    recordsCompliance: l.recordsCompliance ?? true,
    complianceItems: evaluated.size,
  };
}
