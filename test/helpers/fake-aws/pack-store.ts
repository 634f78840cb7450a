import path from 'node:path';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../../src/evidence/kinds';
import { openPack } from '../../../src/evidence/reader';
import { ComplianceType, type ConfigRule, type Evaluation, type RecorderStatus, type Resource } from '../../../src/evidence/records';
import { LineFile, LineRefs, scanLines } from './lines';
import { byLocation, complianceOf, locationKey, type FakeData, type LocationData, type RuleEntry } from './store';

const TYPES = ComplianceType.options;

interface Indexed {
  recorder: RecorderStatus;
  rules: IndexedRule[];
  ruleRefs: LineRefs;
  resourceRefs: LineRefs;
  /** The resources with results (counted, then dropped: only their number is kept). */
  evaluated: Set<string>;
  complianceItems: number;
}

interface IndexedRule {
  name: string;
  conformancePack: string | null;
  refs: LineRefs;
  /** The compliance type of each result, as an index into TYPES. */
  types: number[];
}

type Located = { accountId: string; region: string };

/**
 * Serves a whole evidence pack as AWS would hold it: every account, Region, rule, result and
 * resource. Only where each record sits in the pack's files is kept in memory (a few numbers
 * per record); a page of results is read from disk when it is asked for, so an organisation
 * of millions of evaluations fits in a small process. The pack is verified first.
 */
export async function packData(dir: string): Promise<FakeData> {
  const pack = await openPack(dir);
  const file = (kind: EvidenceKind) => path.join(dir, EVIDENCE_KINDS[kind].file);
  const indexed = new Map<string, Indexed>();
  for await (const recorder of pack.records('recorderStatus')) {
    indexed.set(locationKey(recorder.accountId, recorder.region), { recorder, rules: [], ruleRefs: new LineRefs(), resourceRefs: new LineRefs(), evaluated: new Set(), complianceItems: 0 });
  }
  const at = (r: Located, what: string) => {
    const loc = indexed.get(locationKey(r.accountId, r.region));
    if (!loc) throw new Error(`${dir}: ${what} in ${r.accountId} ${r.region}, which has no recorder status`);
    return loc;
  };

  const ruleIndex = new Map<string, IndexedRule>();
  await scanLines(file('configRules'), (line, offset, length) => {
    const r = JSON.parse(line) as ConfigRule;
    const loc = at(r, `rule ${r.ruleName}`);
    const rule: IndexedRule = { name: r.ruleName, conformancePack: r.conformancePack, refs: new LineRefs(), types: [] };
    loc.rules.push(rule);
    loc.ruleRefs.add(offset, length);
    ruleIndex.set(`${locationKey(r.accountId, r.region)}/${r.ruleName}`, rule);
  });
  await scanLines(file('evaluations'), (line, offset, length) => {
    const e = JSON.parse(line) as Evaluation;
    // Results of a rule the pack does not describe (as an aggregator may leave) cannot be served: Config has no such rule.
    const rule = ruleIndex.get(`${locationKey(e.accountId, e.region)}/${e.ruleName}`);
    if (!rule) return;
    rule.refs.add(offset, length);
    rule.types.push(TYPES.indexOf(e.complianceType));
    at(e, 'an evaluation').evaluated.add(`${e.resourceType}\u0000${e.resourceId}`);
  });
  ruleIndex.clear();
  for (const loc of indexed.values()) {
    loc.complianceItems = loc.evaluated.size;
    loc.evaluated.clear();
  }
  await scanLines(file('resources'), (line, offset, length) => at(JSON.parse(line) as Resource, 'a resource').resourceRefs.add(offset, length));

  const files = { rules: new LineFile(file('configRules')), evaluations: new LineFile(file('evaluations')), resources: new LineFile(file('resources')) };
  const locations = [...indexed.values()].map((l) => serve(l, files));
  const all = async <T>(records: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const r of records) out.push(r);
    return out;
  };
  return {
    accounts: pack.manifest.scope.accounts.map((a) => a.accountId),
    locations,
    at: byLocation(locations),
    reports: await all(pack.records('artifactReports')),
    agreements: await all(pack.records('artifactAgreements')),
  };
}

function serve(l: Indexed, files: { rules: LineFile; evaluations: LineFile; resources: LineFile }): LocationData {
  const rules = l.rules.map((r): RuleEntry => ({
    name: r.name,
    conformancePack: r.conformancePack,
    compliance: complianceOf(r.types.map((t) => TYPES[t])),
    resultCount: r.refs.length,
    results: (types) => {
      const kept = new LineRefs();
      r.types.forEach((t, i) => types.includes(TYPES[t]) && kept.add(r.refs.offsets[i], r.refs.lengths[i]));
      return files.evaluations.records<Evaluation>(kept);
    },
  }));
  const byName = new Map(rules.map((r) => [r.name, r]));
  return {
    accountId: l.recorder.accountId,
    region: l.recorder.region,
    recorder: l.recorder,
    rules,
    ruleRecords: files.rules.records<ConfigRule>(l.ruleRefs),
    rule: (name) => byName.get(name),
    resources: files.resources.records<Resource>(l.resourceRefs),
    recordsCompliance: true,
    complianceItems: l.complianceItems,
  };
}
