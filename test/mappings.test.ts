import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import conformancePacks from '../src/facts/conformance-packs.json';
import { baselineControls, builtinCatalog } from '../src/mapping/catalog';
import { BUILTIN_MAPPINGS_DIR, loadMappings } from '../src/mapping/mappings';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();
const catalog = builtinCatalog();

/** A copy of the built-in mappings with one file edited, to provoke one error. */
function mappingsWith(name: string, file: string, edit: (text: string) => string): string {
  const dir = path.join(tmp(), name);
  cpSync(BUILTIN_MAPPINGS_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('built-in mappings', () => {
  const mappings = loadMappings(catalog);

  it('resolve every control of every baseline to one responsibility per category', () => {
    for (const c of catalog.controls) {
      const { byCategory, rationale } = mappings.responsibilityOf(c);
      expect(Object.keys(byCategory).sort()).toEqual(['abstracted', 'container', 'infrastructure']);
      expect(rationale.length).toBeGreaterThan(10);
    }
  });

  it('map only to controls of the PROTECTED baseline', () => {
    const protectedIds = new Set(baselineControls(catalog, 'PROTECTED').map((c) => c.id));
    for (const [identifier, ids] of mappings.ruleControls) for (const id of ids) expect([identifier, protectedIds.has(id)]).toEqual([identifier, true]);
  });

  it('map only rule identifiers that the ACSC conformance packs deploy', () => {
    const deployed = new Set(conformancePacks.packs.flatMap((p) => p.rules.map((r) => r.identifier)));
    expect([...mappings.ruleControls.keys()].filter((id) => !deployed.has(id))).toEqual([]);
  });

  it('classify service prefixes and exact resource types', () => {
    expect(mappings.categoryOf('AWS::EC2::Instance')).toBe('infrastructure');
    expect(mappings.categoryOf('AWS::RDS::DBInstance')).toBe('container');
    expect(mappings.categoryOf('AWS::S3::Bucket')).toBe('abstracted');
    expect(mappings.categoryOf('AWS::Unknown::Thing')).toBeNull();
  });
});

describe('mapping file errors name the file and line', () => {
  it('an id that is not in the catalog', () => {
    const dir = mappingsWith('unknown-id', 'config-rules.yaml', (t) => t.replace('controls: [ism-0974, ism-1173]', 'controls: [ism-0974, ism-9999]'));
    const file = path.join(dir, 'config-rules.yaml');
    const line = lineOf(readFileSync(file, 'utf8'), 'ism-9999');
    expect(() => loadMappings(catalog, { dir })).toThrow(`${file}:${line}: control ism-9999 is not in ISM catalog ${catalog.version}`);
  });

  it('a malformed id', () => {
    const dir = mappingsWith('bad-id', 'config-rules.yaml', (t) => t.replace(/(IAM_ROOT_ACCESS_KEY_CHECK:\n\s+controls: \[)ism-/, '$1ISM-'));
    const file = path.join(dir, 'config-rules.yaml');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('[ISM-')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(() => loadMappings(catalog, { dir })).toThrow(new RegExp(`config-rules\\.yaml:${line}: rules\\.IAM_ROOT_ACCESS_KEY_CHECK\\.controls\\.0: must be an ISM id`));
  });

  it('an unknown responsibility value', () => {
    const dir = mappingsWith('bad-resp', 'responsibility.yaml', (t) => t.replace('responsibility: inherited\n    rationale: AWS secures its data centres', 'responsibility: aws\n    rationale: AWS secures its data centres'));
    const file = path.join(dir, 'responsibility.yaml');
    expect(() => loadMappings(catalog, { dir })).toThrow(new RegExp(`responsibility\\.yaml:${lineOf(readFileSync(file, 'utf8'), 'responsibility: aws')}: guidelines\\.Guidelines for physical security\\.responsibility`));
  });

  it('a guideline with no responsibility', () => {
    const dir = mappingsWith('missing-guideline', 'responsibility.yaml', (t) => t.replace(/  Guidelines for email:\n.*\n.*\n/, ''));
    expect(() => loadMappings(catalog, { dir })).toThrow(/responsibility\.yaml:\d+: no responsibility for guideline "Guidelines for email"/);
  });

  it('a YAML syntax error', () => {
    const dir = mappingsWith('syntax', 'artifact-reports.yaml', (t) => t.replace('  IRAP:', '  IRAP: [unclosed'));
    expect(() => loadMappings(catalog, { dir })).toThrow(/artifact-reports\.yaml:\d+: /);
  });
});

describe('custom mappings (--mappings DIR)', () => {
  const custom = (name: string, files: Record<string, string>) => {
    const dir = path.join(tmp(), name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    return dir;
  };
  const physical = catalog.controls.find((c) => c.guideline === 'Guidelines for physical security')!;

  it('add and override rules, responsibilities, residency and declarations of not applicable', () => {
    const dir = custom('override', {
      'config-rules.yaml': 'rules:\n  IAM_ROOT_ACCESS_KEY_CHECK:\n    controls: [ism-1173]\n    rationale: Our own reading.\n  MY_CUSTOM_RULE:\n    controls: [ism-0039]\n    rationale: Ours.\n',
      'responsibility.yaml': `controls:\n  ${physical.id}:\n    responsibility: customer\n    rationale: We run our own data centre too.\n`,
      'data-residency.yaml': 'allowedRegions: [ap-southeast-2]\ncontrols: [ism-1572]\nrationale: Sydney only.\n',
      'not-applicable.yaml': 'notApplicable:\n  - guideline: Guidelines for communications systems\n    section: Telephone systems\n    rationale: The system has no telephones.\n',
    });
    const m = loadMappings(catalog, { extraDir: dir });
    expect(m.ruleControls.get('IAM_ROOT_ACCESS_KEY_CHECK')).toEqual(['ism-1173']);
    expect(m.ruleControls.get('MY_CUSTOM_RULE')).toEqual(['ism-0039']);
    expect(m.ruleControls.get('S3_BUCKET_PUBLIC_READ_PROHIBITED')).toBeDefined();
    expect(m.responsibilityOf(physical).byCategory.abstracted).toBe('customer');
    expect(m.residency.allowedRegions).toEqual(['ap-southeast-2']);
    const telephone = catalog.controls.find((c) => c.section === 'Telephone systems')!;
    expect(m.notApplicable(telephone)).toBe('The system has no telephones.');
    expect(m.notApplicable(physical)).toBeNull();
  });

  it('errors point into the user file', () => {
    const dir = custom('bad-custom', { 'not-applicable.yaml': 'notApplicable:\n  - controls: [ism-0039]\n    rationale: fine\n  - controls: [ism-0586]\n    rationale: retired id\n' });
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(`${path.join(dir, 'not-applicable.yaml')}:4: control ism-0586 is not in ISM catalog ${catalog.version}`);
  });

  it('a file name that is not a mapping file is an error, not silently ignored', () => {
    const dir = custom('typo', { 'config-rule.yaml': 'rules: {}\n' });
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(/config-rule\.yaml: unknown mapping file; expected one of responsibility\.yaml/);
  });

  it('collects every unknown id for `mappings check` instead of stopping at the first', () => {
    const dir = custom('many', { 'config-rules.yaml': 'rules:\n  A_RULE:\n    controls: [ism-0586, ism-0859]\n    rationale: Retired ids.\n' });
    const m = loadMappings(catalog, { extraDir: dir, collectProblems: true });
    expect(m.problems.map((p) => [p.subject, p.line])).toEqual([
      ['ism-0586', 3],
      ['ism-0859', 3],
    ]);
  });
});

describe('auditpack mappings check', () => {
  const bin = path.join(__dirname, '..', 'bin', 'auditpack.js');
  const check = (...args: string[]) => spawnSync(process.execPath, [bin, 'mappings', 'check', ...args], { encoding: 'utf8', env: process.env });

  it('reports coverage as JSON: every PROTECTED control resolved, no unknown ids', () => {
    const r = check('--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ catalogVersion: '2025.12.9', baseline: 'PROTECTED', controls: 992, principles: 34, unknownControlIds: [] });
    const { inherited, shared, customer } = json.byResponsibility;
    expect(inherited + shared + customer).toBe(992);
    expect(json.unmappedRules).toEqual([]);
  });

  const official = path.join(__dirname, '..', '..', 'shared', 'reference', 'ism-oscal', 'ISM_catalog.json');
  (existsSync(official) ? it : it.skip)('holds the same with the official December 2025 catalog', () => {
    const r = check('--json', '--catalog', official);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ catalogVersion: '2025.12.9', statementsLoaded: true, controls: 992, principles: 34, unmappedRules: [], unknownControlIds: [] });
  });

  it('fails, listing every unknown id with file and line', () => {
    const dir = path.join(tmp(), 'check-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config-rules.yaml'), 'rules:\n  A_RULE:\n    controls: [ism-0586]\n    rationale: Retired.\n');
    const r = check('--mappings', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${path.join(dir, 'config-rules.yaml')}:3: control ism-0586 is not in ISM catalog`);
    expect(r.stderr).toMatch(/^auditpack: 1 mapping id\(s\) are not in ISM catalog/);
  });
});
