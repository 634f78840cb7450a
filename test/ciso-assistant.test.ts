import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import { STATUSES, type AssessmentResult } from '../src/assess/result';
import { baselineControls, builtinCatalog } from '../src/mapping/catalog';
import { controlsAt, loadEssentialEightMapping } from '../src/mapping/ciso-essential-eight';
import { CISO_ASSISTANT_AUDIT, CISO_ASSISTANT_E8_AUDIT, CISO_ASSISTANT_LIBRARY } from '../src/render/ciso-assistant';
import { essentialEightRows, worstStatus } from '../src/render/ciso-assistant/essential-eight';
import { CISO_ASSISTANT_URN, libraryProblems } from '../src/render/ciso-assistant/check';
import type { FrameworkLibrary, RequirementNode } from '../src/render/ciso-assistant/library';
import { CISO_ASSISTANT_STATUS } from '../src/render/ciso-assistant/statuses';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..');
const tmp = useTempDir('auditpack-ciso-assistant-');

/** The columns CISO Assistant's audit import reads, written out here so a renamed column fails. */
const IMPORT_COLUMNS = ['urn', 'assessable', 'ref_id', 'name', 'description', 'compliance_result', 'requirement_progress', 'score', 'implementation_score', 'documentation_score', 'observations'];
const RESULTS = ['compliant', 'non_compliant', 'partially_compliant', 'not_applicable', 'not_assessed'];
const PROGRESS = ['to_do', 'in_progress', 'in_review', 'done'];

async function demo(name: string, ...extra: string[]): Promise<string> {
  const out = path.join(tmp(), name);
  const run = await runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), 'demo', '--out', out, '--format', 'ciso-assistant', '--quiet', ...extra], { cwd: ROOT });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return path.join(out, 'report');
}

async function readImport(file: string): Promise<Record<string, ExcelJS.CellValue>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  // The importer reads the first sheet.
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
  expect(header).toEqual(IMPORT_COLUMNS);
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) rows.push(Object.fromEntries(IMPORT_COLUMNS.map((c, i) => [c, sheet.getRow(r).getCell(i + 1).value ?? null])));
  return rows;
}

describe('report --format ciso-assistant on the demo', () => {
  let report: string;
  let again: string;
  let library: FrameworkLibrary;
  let result: AssessmentResult;

  beforeAll(async () => {
    report = await demo('first');
    again = await demo('second');
    library = parse(await readFile(path.join(report, CISO_ASSISTANT_LIBRARY), 'utf8'));
    result = JSON.parse(await readFile(path.join(report, 'assessment-result.json'), 'utf8'));
  });

  test('two exports of one pack are byte-identical', async () => {
    for (const file of [CISO_ASSISTANT_LIBRARY, CISO_ASSISTANT_AUDIT]) {
      expect((await readFile(path.join(again, file))).equals(await readFile(path.join(report, file)))).toBe(true);
    }
  });

  test("the library passes the loader's rules", () => {
    expect(libraryProblems(library)).toEqual([]);
    expect(library.urn).toBe('urn:auditpack:risk:library:ism-2025.12.9-protected');
    expect(library.objects.framework.urn).toBe('urn:auditpack:risk:framework:ism-2025.12.9-protected');
  });

  test('one assessable node per baseline control, under one node per guideline, section and topic', () => {
    const nodes = library.objects.framework.requirement_nodes;
    const baseline = baselineControls(builtinCatalog(), 'PROTECTED');
    const assessable = nodes.filter((n) => n.assessable);
    expect(assessable.map((n) => n.urn)).toEqual(baseline.map((c) => `urn:auditpack:risk:req_node:ism-2025.12.9-protected:${c.id}`));
    expect(assessable.map((n) => n.ref_id)).toEqual(baseline.map((c) => (c.kind === 'principle' ? c.label! : c.id.toUpperCase())));
    expect(assessable.every((n) => n.depth === 4)).toBe(true);
    const distinct = (key: (c: (typeof baseline)[number]) => string) => new Set(baseline.map(key)).size;
    expect(nodes.filter((n) => n.depth === 1)).toHaveLength(distinct((c) => c.guideline));
    expect(nodes.filter((n) => n.depth === 2)).toHaveLength(distinct((c) => `${c.guideline}\n${c.section}`));
    expect(nodes.filter((n) => n.depth === 3)).toHaveLength(distinct((c) => `${c.guideline}\n${c.section}\n${c.topic}`));
    // The built-in index holds no statement text, and none is invented.
    expect(nodes.some((n) => 'description' in n)).toBe(false);
  });

  const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => (p.includes('/') ? existsSync(p) : true))!;
  const hasPyYaml = spawnSync(PYTHON, ['-c', 'import yaml']).status === 0;
  (hasPyYaml ? test : test.skip)("PyYAML's safe_load (CISO Assistant's parser) reads the same library", () => {
    const run = spawnSync(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], "rb"))))', path.join(report, CISO_ASSISTANT_LIBRARY)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(library);
  });

  test("every import row resolves to the library's requirement of the same ref_id, with our result mapped", async () => {
    const rows = await readImport(path.join(report, CISO_ASSISTANT_AUDIT));
    const byUrn = new Map<string, RequirementNode>(library.objects.framework.requirement_nodes.map((n) => [n.urn, n]));
    expect(rows).toHaveLength(result.controls.length);
    rows.forEach((row, i) => {
      const control = result.controls[i];
      const node = byUrn.get(String(row.urn));
      expect(node).toMatchObject({ assessable: true, ref_id: row.ref_id });
      // The importer skips a row whose assessable cell is empty or false.
      expect(row.assessable).toBe(true);
      expect(row).toMatchObject({ compliance_result: CISO_ASSISTANT_STATUS[control.status].result, requirement_progress: CISO_ASSISTANT_STATUS[control.status].progress });
      expect(RESULTS).toContain(row.compliance_result);
      expect(PROGRESS).toContain(row.requirement_progress);
      expect(String(row.observations)).toContain(control.implementationComments);
      expect([row.score, row.implementation_score, row.documentation_score, row.description]).toEqual([null, null, null, null]);
    });
  });

  const OFFICIAL = path.join(ROOT, '..', 'shared', 'reference', 'ism-oscal', 'ISM_catalog.json');
  (existsSync(OFFICIAL) ? test : test.skip)("with an official catalog, each requirement's description is the statement the result carries", async () => {
    const official = await demo('official', '--catalog', OFFICIAL);
    const withText: FrameworkLibrary = parse(await readFile(path.join(official, CISO_ASSISTANT_LIBRARY), 'utf8'));
    const officialResult: AssessmentResult = JSON.parse(await readFile(path.join(official, 'assessment-result.json'), 'utf8'));
    expect(libraryProblems(withText)).toEqual([]);
    const described = new Map(withText.objects.framework.requirement_nodes.filter((n) => n.assessable).map((n) => [n.ref_id, n.description]));
    expect(officialResult.controls.every((c) => c.statement !== null)).toBe(true);
    for (const c of officialResult.controls) expect(described.get(c.kind === 'principle' ? c.label! : c.id.toUpperCase())).toBe(c.statement);
    // Same release and baseline: the same URNs as without the text, so either file's rows match either library.
    expect(withText.objects.framework.requirement_nodes.map((n) => n.urn)).toEqual(library.objects.framework.requirement_nodes.map((n) => n.urn));
  });

  test('a baseline that is not an Essential Eight one writes no essential-eight import', async () => {
    expect(existsSync(path.join(report, CISO_ASSISTANT_E8_AUDIT))).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(report, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(manifest)).not.toContain('essential-eight-import');
  });
});

describe('report --format ciso-assistant on the demo with an Essential Eight baseline', () => {
  const mapping = loadEssentialEightMapping();
  const fixtureUrns = new Set(mapping.nodes.map((n) => n.urn));
  let e8: string;
  let result: AssessmentResult;

  beforeAll(async () => {
    e8 = await demo('e8', '--baseline', 'E8_ML2');
    result = JSON.parse(await readFile(path.join(e8, 'assessment-result.json'), 'utf8'));
  });

  test('is a framework of its own, with its own URNs', async () => {
    const e8Library: FrameworkLibrary = parse(await readFile(path.join(e8, CISO_ASSISTANT_LIBRARY), 'utf8'));
    expect(libraryProblems(e8Library)).toEqual([]);
    expect(e8Library.objects.framework.urn).toBe('urn:auditpack:risk:framework:ism-2025.12.9-e8_ml2');
    const urns = new Set(e8Library.objects.framework.requirement_nodes.map((n) => n.urn));
    const rows = await readImport(path.join(e8, CISO_ASSISTANT_AUDIT));
    expect(rows).toHaveLength(baselineControls(builtinCatalog(), 'E8_ML2').length);
    expect(rows.every((r) => urns.has(String(r.urn)))).toBe(true);
  });

  test("also writes an import for CISO Assistant's essential-eight framework: one row per requirement matched at ML2", async () => {
    const rows = await readImport(path.join(e8, CISO_ASSISTANT_E8_AUDIT));
    const atMl2 = mapping.nodes.filter((n) => controlsAt(n, 'ML2').length);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(atMl2.length);
    expect(rows.map((r) => r.urn)).toEqual(atMl2.map((n) => n.urn));
  });

  test('every URN resolves to a node of the fixture, and the importer will find it by URN', async () => {
    const rows = await readImport(path.join(e8, CISO_ASSISTANT_E8_AUDIT));
    for (const row of rows) {
      expect(fixtureUrns.has(String(row.urn))).toBe(true);
      expect(CISO_ASSISTANT_URN.test(String(row.urn))).toBe(true);
      // The importer looks a row up by ref_id whenever the cell is filled, and these requirements have none.
      expect(row.ref_id).toBeNull();
      expect(row.assessable).toBe(true);
    }
  });

  test("each row's result is the worst status of the ISM controls the node maps to at ML2", async () => {
    const rows = await readImport(path.join(e8, CISO_ASSISTANT_E8_AUDIT));
    const byUrn = new Map(mapping.nodes.map((n) => [n.urn, n]));
    const byId = new Map(result.controls.map((c) => [c.id, c]));
    const results = new Set<unknown>();
    for (const row of rows) {
      const ids = controlsAt(byUrn.get(String(row.urn))!, 'ML2');
      const controls = ids.map((id) => byId.get(id)!);
      expect(controls.every(Boolean)).toBe(true);
      const status = worstStatus(controls.map((c) => c.status));
      expect(row).toMatchObject({ name: ids.map((id) => id.toUpperCase()).join(', '), compliance_result: CISO_ASSISTANT_STATUS[status].result, requirement_progress: CISO_ASSISTANT_STATUS[status].progress });
      for (const c of controls) expect(String(row.observations)).toContain(c.implementationComments);
      results.add(row.compliance_result);
    }
    // The demo's E8 controls are in several states, so the mapping is exercised, not a constant.
    expect(results.size).toBeGreaterThan(1);
  });

  test('a node that maps to several controls at the level gets the worst of their statuses, and says so', () => {
    const failing = result.controls.find((c) => c.status === 'non-compliant')!;
    const met = result.controls.find((c) => c.status === 'compliant')!;
    const node = { urn: 'urn:intuitem:risk:req_node:essential-eight:node3', maturityLevels: ['ML2'] as const, rationale: 'test', unmatched: null };
    const [row] = essentialEightRows(result, {
      ...mapping,
      nodes: [{ ...node, matches: [{ control: met.id, levels: ['ML2'], score: 1 }, { control: failing.id, levels: ['ML2'], score: 1 }, { control: 'ism-0009', levels: ['ML3'], score: 1 }] }],
    });
    expect(row).toMatchObject({ urn: node.urn, refId: null, status: 'non-compliant', name: `${met.id.toUpperCase()}, ${failing.id.toUpperCase()}` });
    expect(row.observation).toMatch(/^auditpack status: Non-compliant, the worst of the 2 ISM controls that state this requirement\. /);
    expect(row.observation).toContain(failing.implementationComments);
    expect(row.observation).toContain(met.implementationComments);
    // A control the result does not hold (not in the baseline) adds nothing; none held, no row.
    expect(essentialEightRows(result, { ...mapping, nodes: [{ ...node, matches: [{ control: 'ism-0009', levels: ['ML2'], score: 1 }] }] })).toEqual([]);
  });

  test('two exports of one pack are byte-identical', async () => {
    const again = await demo('e8-again', '--baseline', 'E8_ML2');
    for (const file of [CISO_ASSISTANT_LIBRARY, CISO_ASSISTANT_AUDIT, CISO_ASSISTANT_E8_AUDIT]) {
      expect((await readFile(path.join(again, file))).equals(await readFile(path.join(e8, file)))).toBe(true);
    }
    const manifest = JSON.parse(await readFile(path.join(e8, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(manifest)).toContain(CISO_ASSISTANT_E8_AUDIT);
  });
});

describe("the loader's rules", () => {
  const node = (urn: string, extra: Partial<RequirementNode> = {}): RequirementNode => ({ urn, assessable: false, depth: 1, name: 'A guideline', ...extra });
  const base = (): FrameworkLibrary => ({
    urn: 'urn:auditpack:risk:library:test',
    locale: 'en',
    ref_id: 'T',
    name: 'Test',
    description: 'Test',
    copyright: 'none',
    version: 1,
    provider: 'p',
    packager: 'auditpack',
    objects: {
      framework: {
        urn: 'urn:auditpack:risk:framework:test',
        ref_id: 'T',
        name: 'Test',
        description: 'Test',
        requirement_nodes: [node('urn:auditpack:risk:req_node:test:g'), node('urn:auditpack:risk:req_node:test:ism-1', { assessable: true, depth: 2, parent_urn: 'urn:auditpack:risk:req_node:test:g', ref_id: 'ISM-1' })],
      },
    },
  });

  test('a well-formed library has no problems', () => {
    expect(libraryProblems(base())).toEqual([]);
  });

  test.each<[string, (l: FrameworkLibrary) => void, RegExp]>([
    ['a missing library version', (l) => delete (l as Partial<FrameworkLibrary>).version, /library: missing required field version/],
    ['a missing framework ref_id', (l) => delete (l.objects.framework as Partial<FrameworkLibrary['objects']['framework']>).ref_id, /framework: missing required field ref_id/],
    ['a node without a urn', (l) => delete (l.objects.framework.requirement_nodes[0] as Partial<RequirementNode>).urn, /requirement node 1: urn is missing/],
    ['a badly formed urn', (l) => (l.objects.framework.requirement_nodes[0].urn = 'urn:auditpack:ism 1'), /does not match CISO Assistant's URN pattern/],
    ['an upper-case urn', (l) => (l.objects.framework.requirement_nodes[1].urn = 'urn:auditpack:risk:req_node:test:ISM-1'), /is not lower case/],
    ['a urn used twice', (l) => (l.objects.framework.requirement_nodes[1].urn = l.objects.framework.requirement_nodes[0].urn), /is used twice/],
    ['a parent that is not an earlier node', (l) => (l.objects.framework.requirement_nodes[1].parent_urn = 'urn:auditpack:risk:req_node:test:none'), /parent_urn .* is not an earlier node/],
    ['a depth that does not follow the parent', (l) => (l.objects.framework.requirement_nodes[1].depth = 3), /depth 3, expected 2/],
    ['a ref_id on two requirements', (l) => l.objects.framework.requirement_nodes.push(node('urn:auditpack:risk:req_node:test:ism-2', { assessable: true, depth: 2, parent_urn: 'urn:auditpack:risk:req_node:test:g', ref_id: 'ISM-1' })), /ref_id "ISM-1" is also requirement node 2's/],
    ['no requirement nodes', (l) => (l.objects.framework.requirement_nodes = []), /requirement_nodes is missing or empty/],
    ['a urn longer than 255 characters', (l) => (l.objects.framework.requirement_nodes[0].urn = `urn:auditpack:risk:req_node:test:${'x'.repeat(240)}`), /more than 255/],
  ])('%s is a problem', (_label, breakIt, message) => {
    const library = base();
    breakIt(library);
    expect(libraryProblems(library).join('\n')).toMatch(message);
  });

  test("CISO Assistant's URN pattern accepts its own essential-eight URNs", () => {
    expect(CISO_ASSISTANT_URN.test('urn:intuitem:risk:req_node:essential-eight:node3')).toBe(true);
  });
});

describe('the status mapping', () => {
  test('never claims more than the evidence shows', () => {
    expect(STATUSES.filter((s) => CISO_ASSISTANT_STATUS[s].result === 'compliant').sort()).toEqual(['attested', 'compliant', 'inherited-evidenced']);
    expect(CISO_ASSISTANT_STATUS['risk-accepted'].result).toBe('non_compliant');
    for (const s of ['insufficient-evidence', 'attestation-expired', 'inherited-evidence-missing', 'not-assessed'] as const) expect(CISO_ASSISTANT_STATUS[s].result).toBe('not_assessed');
  });

  test('docs/ciso-assistant.md gives every row of it', async () => {
    const doc = await readFile(path.join(ROOT, 'docs', 'ciso-assistant.md'), 'utf8');
    for (const s of STATUSES) expect(doc).toContain(`| \`${s}\` | \`${CISO_ASSISTANT_STATUS[s].result}\` | \`${CISO_ASSISTANT_STATUS[s].progress}\` |`);
  });
});
