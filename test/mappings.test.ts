import { cpSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(() => loadMappings(catalog, dir)).toThrow(`${file}:${line}: control ism-9999 is not in ISM catalog ${catalog.version}`);
  });

  it('a malformed id', () => {
    const dir = mappingsWith('bad-id', 'config-rules.yaml', (t) => t.replace('controls: [ism-1175]', 'controls: [ISM-1175]'));
    const file = path.join(dir, 'config-rules.yaml');
    expect(() => loadMappings(catalog, dir)).toThrow(new RegExp(`config-rules\\.yaml:${lineOf(readFileSync(file, 'utf8'), 'ISM-1175')}: rules\\.IAM_ROOT_ACCESS_KEY_CHECK\\.controls\\.0: must be an ISM id`));
  });

  it('an unknown responsibility value', () => {
    const dir = mappingsWith('bad-resp', 'responsibility.yaml', (t) => t.replace('responsibility: inherited\n    rationale: AWS secures its data centres', 'responsibility: aws\n    rationale: AWS secures its data centres'));
    const file = path.join(dir, 'responsibility.yaml');
    expect(() => loadMappings(catalog, dir)).toThrow(new RegExp(`responsibility\\.yaml:${lineOf(readFileSync(file, 'utf8'), 'responsibility: aws')}: guidelines\\.Guidelines for physical security\\.responsibility`));
  });

  it('a guideline with no responsibility', () => {
    const dir = mappingsWith('missing-guideline', 'responsibility.yaml', (t) => t.replace(/  Guidelines for email:\n.*\n.*\n/, ''));
    expect(() => loadMappings(catalog, dir)).toThrow(/responsibility\.yaml:\d+: no responsibility for guideline "Guidelines for email"/);
  });

  it('a YAML syntax error', () => {
    const dir = mappingsWith('syntax', 'artifact-reports.yaml', (t) => t.replace('  IRAP:', '  IRAP: [unclosed'));
    expect(() => loadMappings(catalog, dir)).toThrow(/artifact-reports\.yaml:\d+: /);
  });
});
