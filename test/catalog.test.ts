import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { baselineControls, baselineNames, builtinCatalog, catalogFromIndex, defaultBaseline, parseBaseline, type FactsIndex } from '../src/mapping/catalog';

type Profile = { file: string; profile: unknown };
// The script that derives src/facts/ism-index.json, run here on catalogs and profiles of our own making.
const { deriveIsmIndex } = require('../scripts/derive-facts.js') as { deriveIsmIndex: (catalog: unknown, profiles: Profile[]) => FactsIndex };

const REFERENCE = path.join(__dirname, '..', '..', 'shared', 'reference');
const OSCAL = path.join(REFERENCE, 'ism-oscal');
const haveReference = existsSync(OSCAL);

describe('built-in ISM facts index', () => {
  const catalog = builtinCatalog();

  it('places every control in the guideline > section > topic tree without statement text', () => {
    expect(catalog.statementsLoaded).toBe(false);
    const c = catalog.controls.find((x) => x.id === 'ism-0039')!;
    expect(c.guideline).toBe('Guidelines for cyber security documentation');
    expect(c.section).toBeTruthy();
    expect(c.topic).toBeTruthy();
    expect(catalog.controls.every((x) => x.statement === null)).toBe(true);
  });

  it('accepts baseline names as users write them', () => {
    expect(parseBaseline('protected')).toBe('PROTECTED');
    expect(parseBaseline('OFFICIAL: Sensitive')).toBe('OFFICIAL_SENSITIVE');
    expect(() => parseBaseline('CONFIDENTIAL')).toThrow(/unknown baseline "CONFIDENTIAL"; expected one of NON_CLASSIFIED/);
  });

  (haveReference ? it : it.skip)('selects exactly the controls of each published baseline profile', () => {
    const file = (b: string) => path.join(OSCAL, `ISM_${b}-baseline_profile.json`);
    for (const baseline of baselineNames()) {
      const profile = JSON.parse(readFileSync(file(baseline), 'utf8')).profile;
      const ids: string[] = profile.imports.flatMap((i: { 'include-controls': { 'with-ids': string[] }[] }) => i['include-controls'].flatMap((c) => c['with-ids']));
      expect(baselineControls(catalog, baseline).map((c) => c.id).sort()).toEqual([...ids].sort());
    }
  });

  (haveReference ? it : it.skip)('is exactly what scripts/derive-facts.js derives from the reference release', () => {
    expect(() => execFileSync('node', [path.join(__dirname, '..', 'scripts', 'derive-facts.js'), '--check', REFERENCE], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('baselines come from the profiles, not from a list in the code', () => {
  const ns = 'https://cyber.gov.au/ns/ism/oscal/3.0';
  const control = (id: string, applicability: string[], essentialEight: string[] = []) => ({
    id,
    class: 'ISM-control',
    props: [
      { name: 'revision', ns, value: '1' },
      ...applicability.map((value) => ({ name: 'applicability', ns, value })),
      ...essentialEight.map((value) => ({ name: 'essential-eight-applicability', ns, value })),
    ],
  });
  const fixture = {
    metadata: { title: 'Test manual', version: '2099.01.1', published: '2099-01-01T00:00:00Z' },
    groups: [{ title: 'G', groups: [{ title: 'S', groups: [{ title: 'T', controls: [control('ism-9001', ['LOW', 'HIGH']), control('ism-9002', ['HIGH'], ['ML9']), control('ism-9003', ['HIGH'])] }] }] }],
  };
  const profile = (name: string, ids: string[]): Profile => ({
    file: `ISM_${name}-baseline_profile.json`,
    profile: { metadata: { title: `Test ${name} Baseline` }, imports: [{ href: '#catalog', 'include-controls': [{ 'with-ids': ids }] }] },
  });
  const catalog = catalogFromIndex(deriveIsmIndex(fixture, [profile('HIGH', ['ism-9001', 'ism-9002', 'ism-9003']), profile('E8_ML9', ['ism-9002']), profile('LOW', ['ism-9001'])]));

  it('names, orders and cuts each baseline as its profile does', () => {
    expect(baselineNames(catalog.baselines)).toEqual(['LOW', 'HIGH', 'E8_ML9']);
    expect(catalog.baselines[0]).toEqual({ name: 'LOW', title: 'Test LOW Baseline', prop: 'applicability', value: 'LOW' });
    expect(baselineControls(catalog, 'HIGH').map((c) => c.id)).toEqual(['ism-9001', 'ism-9002', 'ism-9003']);
    expect(baselineControls(catalog, 'E8_ML9').map((c) => c.id)).toEqual(['ism-9002']);
  });

  it('accepts only the profiles\' names, and says which there are', () => {
    expect(parseBaseline('low', catalog.baselines)).toBe('LOW');
    expect(() => parseBaseline('PROTECTED', catalog.baselines)).toThrow('unknown baseline "PROTECTED"; expected one of LOW, HIGH, E8_ML9');
    expect(() => baselineControls(catalog, 'PROTECTED')).toThrow('catalog 2099.01.1 has no baseline PROTECTED; it has LOW, HIGH, E8_ML9');
    // PROTECTED is the default only where a profile defines it.
    expect(defaultBaseline(catalog.baselines)).toBe('LOW');
    expect(defaultBaseline()).toBe('PROTECTED');
  });

  it('refuses a profile that no one property value selects', () => {
    expect(() => deriveIsmIndex(fixture, [profile('ODD', ['ism-9001', 'ism-9002'])])).toThrow('ISM_ODD-baseline_profile.json: its 2 controls are not those of any one applicability or essential-eight-applicability value of the catalog');
  });

  it('docs/mappings.md lists the built-in baselines, in their order, with the values that select them', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'mappings.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \| (applicability|Essential Eight) (\w+) \|$/gm)].map(([, name, prop, value]) => ({ name, prop: prop === 'applicability' ? 'applicability' : 'essentialEight', value }));
    expect(rows).toEqual(builtinCatalog().baselines.map(({ name, prop, value }) => ({ name, prop, value })));
  });

  (haveReference ? it : it.skip)('the built-in baselines are the reference release\'s profiles, one for one', () => {
    const names = readdirSync(OSCAL).flatMap((f) => /^ISM_(.+)-baseline_profile\.json$/.exec(f)?.[1] ?? []);
    expect(baselineNames().sort()).toEqual(names.sort());
  });
});
