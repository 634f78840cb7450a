import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BASELINE_NAMES, baselineControls, builtinCatalog, parseBaseline } from '../src/mapping/catalog';

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
    for (const baseline of BASELINE_NAMES) {
      const profile = JSON.parse(readFileSync(file(baseline), 'utf8')).profile;
      const ids: string[] = profile.imports.flatMap((i: { 'include-controls': { 'with-ids': string[] }[] }) => i['include-controls'].flatMap((c) => c['with-ids']));
      expect(baselineControls(catalog, baseline).map((c) => c.id).sort()).toEqual([...ids].sort());
    }
  });

  (haveReference ? it : it.skip)('is exactly what scripts/derive-facts.js derives from the reference release', () => {
    expect(() => execFileSync('node', [path.join(__dirname, '..', 'scripts', 'derive-facts.js'), '--check', REFERENCE], { stdio: 'pipe' })).not.toThrow();
  });
});
