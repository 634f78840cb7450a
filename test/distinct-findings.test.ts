import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AssessmentResult } from '../src/assess/result';
import { builtinCatalog } from '../src/mapping/catalog';
import { loadMappings } from '../src/mapping/mappings';
import { buildReport } from '../src/pipeline/report';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack } from '../src/sample';
import { useTempDir } from './helpers/tmp';

/**
 * The demo's failing-resource counts, recomputed here from the pack's JSON Lines without the
 * assessment code: one result per (rule identifier and its parameters, account, resource type,
 * resource id), the Region in the key only for regional types.
 */
const tmp = useTempDir('auditpack-distinct-');
const GLOBAL = new Set(['AWS::::Account', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group', 'AWS::IAM::Policy']);
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

let result: AssessmentResult;
let controlsCsv: Record<string, string>[];
let packDir: string;

beforeAll(async () => {
  packDir = path.join(tmp(), 'evidence');
  const outDir = path.join(tmp(), 'report');
  await generateSamplePack(packDir, DEFAULT_SAMPLE_OPTIONS);
  ({ result } = await buildReport({ packDir, outDir, formats: ['csv'], marking: 'OFFICIAL: Sensitive', baseline: 'PROTECTED', catalog: 'builtin' }));
  controlsCsv = parse(readFileSync(path.join(outDir, 'csv', 'controls.csv')), { columns: true });
}, 120_000);

it("every control's failing_resources equals the distinct non-compliant results computed from the pack", () => {
  const rules = new Map<string, { identifier: string; parameters: string }>();
  for (const r of lines(path.join(packDir, 'config', 'rules.jsonl'))) {
    rules.set(`${r.accountId}/${r.region}/${r.ruleName}`, { identifier: r.sourceIdentifier, parameters: JSON.stringify(Object.entries(r.inputParameters).sort()) });
  }
  const failing = new Map<string, Set<string>>();
  let raw = 0;
  for (const e of lines(path.join(packDir, 'config', 'evaluations.jsonl'))) {
    if (e.complianceType !== 'NON_COMPLIANT') continue;
    raw++;
    const rule = rules.get(`${e.accountId}/${e.region}/${e.ruleName}`)!;
    const key = [rule.parameters, e.accountId, e.resourceType, e.resourceId, GLOBAL.has(e.resourceType) ? '' : e.region].join('|');
    failing.set(rule.identifier, (failing.get(rule.identifier) ?? new Set()).add(key));
  }
  const mappings = loadMappings(builtinCatalog());
  const expected = new Map<string, number>();
  for (const [identifier, ids] of mappings.ruleControls) for (const id of ids) expected.set(id, (expected.get(id) ?? 0) + (failing.get(identifier)?.size ?? 0));

  expect(controlsCsv).toHaveLength(result.totals.controls);
  for (const row of controlsCsv) expect({ id: row.control_id, failing: Number(row.failing_resources) }).toEqual({ id: row.control_id, failing: expected.get(row.control_id) ?? 0 });
  // The pack deploys overlapping packs in three Regions: the raw evaluations count far more.
  const distinct = [...failing.values()].reduce((n, s) => n + s.size, 0);
  expect(raw).toBeGreaterThan(distinct);
  expect(result.totals.results.NON_COMPLIANT).toBe(distinct);
  expect(controlsCsv.find((r) => r.control_id === 'ism-0974')!.failing_resources).toBe('2');
});

it('no failing-resource list repeats a resource, and a resource failing several rules names them', () => {
  for (const c of result.controls) {
    const keys = c.evidence.findings.map((f) => `${f.accountId}|${f.resourceType}|${f.resourceId}|${GLOBAL.has(f.resourceType) ? '' : f.region}`);
    expect({ id: c.id, keys: new Set(keys).size }).toEqual({ id: c.id, keys: keys.length });
  }
  const mfa = result.controls.find((c) => c.id === 'ism-0974')!.evidence.findings;
  expect(mfa).toHaveLength(1);
  expect([mfa[0].sourceIdentifier, ...mfa[0].otherRules].sort()).toEqual(['IAM_USER_MFA_ENABLED', 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS']);
});
