import { IMPLEMENTATION_STATUSES } from '../src/assess/annex';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { AssessmentResult } from '../src/assess/result';
import { oscalExport } from '../src/render/oscal';
import { OBJECTIVE_STATUS, RISK_STATUS } from '../src/render/oscal/statuses';
import { AUDITPACK_NS, uuidV5 } from '../src/render/oscal/uuid';
import { OSCAL_SCHEMAS, OSCAL_SCHEMAS_DIR } from '../src/render/oscal/validate';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

/**
 * The OSCAL export of the demo, through the compiled CLI (`npm run build` first), checked against
 * NIST's schemas and ASD's catalog as the shared reference folder holds them, not as auditpack does.
 */
const tmp = useTempDir();
const ROOT = path.join(__dirname, '..');
const REFERENCE = path.join(ROOT, '..', 'shared', 'reference');
const SCHEMAS = path.join(REFERENCE, 'oscal-schemas');
const ISM = path.join(REFERENCE, 'ism-oscal');

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8'));
const report = (name: string) => path.join(tmp(), name, 'report');
const oscalText = (name: string, file: string) => readFileSync(path.join(report(name), 'oscal', file), 'utf8');

const cli = async (...args: string[]) => {
  const run = await runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), ...args, '--format', 'oscal'], { cwd: ROOT });
  expect([run.code, run.stderr]).toEqual([0, '']);
};
const demo = (name: string, ...args: string[]) => cli('demo', '--out', path.join(tmp(), name), ...args);

/** An independent validator for a reference schema, set up as the reference README says it was checked. */
const validatorFor = (file: string) => new Ajv({ allErrors: true, strict: false, unicodeRegExp: true, validateFormats: false }).compile(readJson(path.join(SCHEMAS, file)));

/** Every control id in an OSCAL catalog, however deep its groups. */
function catalogIds(file: string): Set<string> {
  const ids = new Set<string>();
  const walk = (node: Json) => {
    for (const c of node.controls ?? []) (ids.add(c.id), walk(c));
    for (const g of node.groups ?? []) walk(g);
  };
  walk(readJson(file).catalog);
  return ids;
}
const profileIds = (baseline: string): string[] => readJson(path.join(ISM, `ISM_${baseline}-baseline_profile.json`)).profile.imports.flatMap((i: Json) => i['include-controls'].flatMap((s: Json) => s['with-ids']));

const ar = (name: string) => readJson(path.join(report(name), 'oscal', 'assessment-results.json'))['assessment-results'];
const poam = (name: string) => readJson(path.join(report(name), 'oscal', 'poam.json'))['plan-of-action-and-milestones'];
const propOf = (obj: Json, name: string) => obj.props?.find((p: Json) => p.name === name && p.ns === AUDITPACK_NS)?.value;

beforeAll(async () => {
  await demo('first');
  // The demo writes the same sample pack again (the test checks it is the same), with its own mappings.
  await demo('again');
  await demo('e8', '--baseline', 'E8_ML2');
}, 300_000);

describe('the demo export', () => {
  test.each([
    ['assessment-results.json', OSCAL_SCHEMAS['assessment-results']],
    ['poam.json', OSCAL_SCHEMAS.poam],
  ])('%s validates against NIST schema %s in the shared reference folder', (file, schema) => {
    for (const name of ['first', 'e8']) {
      const validate = validatorFor(schema);
      expect([name, validate(JSON.parse(oscalText(name, file))), validate.errors ?? null]).toEqual([name, true, null]);
    }
  });

  test('two exports of one pack are byte-identical', () => {
    const manifest = (name: string) => readFileSync(path.join(tmp(), name, 'evidence', 'manifest.json'));
    expect(manifest('again').equals(manifest('first'))).toBe(true);
    for (const file of ['assessment-results.json', 'poam.json']) expect(oscalText('again', file) === oscalText('first', file)).toBe(true);
  });

  test.each([
    ['first', 'PROTECTED'],
    ['e8', 'E8_ML2'],
  ])('%s: reviewed-controls selects the %s profile ids exactly, each spelled as in the ISM catalog', (name, baseline) => {
    const ids = catalogIds(path.join(ISM, 'ISM_catalog.json'));
    const reviewed = ar(name).results[0]['reviewed-controls']['control-selections'].flatMap((s: Json) => s['include-controls'].map((c: Json) => c['control-id']));
    for (const id of reviewed) expect([id, ids.has(id)]).toEqual([id, true]);
    expect([...reviewed].sort()).toEqual([...profileIds(baseline)].sort());
  });

  test('one finding per baseline control, each targeting a catalog control, its state following the status table', () => {
    const ids = catalogIds(path.join(ISM, 'ISM_PROTECTED-baseline-resolved-profile_catalog.json'));
    const { findings } = ar('first').results[0];
    const targets = findings.map((f: Json) => f.target['target-id']);
    expect(new Set(targets).size).toBe(targets.length);
    expect([...targets].sort()).toEqual([...profileIds('PROTECTED')].sort());
    for (const f of findings) {
      expect(ids.has(f.target['target-id'])).toBe(true);
      const status = propOf(f.target, 'status') as keyof typeof OBJECTIVE_STATUS;
      expect(f.target.status).toEqual(OBJECTIVE_STATUS[status]);
      expect(f['related-risks'] !== undefined).toBe(RISK_STATUS[status] !== undefined);
      expect(propOf(f.target, 'aws-half') !== undefined).toBe(propOf(f.target, 'responsibility') !== 'customer');
      expect(IMPLEMENTATION_STATUSES).toContain(propOf(f.target, 'implementation'));
    }
    // The demo shows each kind of outcome, so the table is exercised both ways.
    const states = new Set(findings.map((f: Json) => `${propOf(f.target, 'status')}:${f.target.status.state}`));
    for (const s of ['compliant:satisfied', 'attested:satisfied', 'non-compliant:not-satisfied', 'not-assessed:not-satisfied', 'risk-accepted:not-satisfied']) expect(states).toContain(s);
  });

  test('every reference inside a document resolves, and no UUID is used twice', () => {
    for (const doc of [ar('first'), poam('first')]) {
      const text = JSON.stringify(doc);
      const resources = new Set(doc['back-matter'].resources.map((r: Json) => r.uuid));
      const observations = new Set((doc.results?.[0] ?? doc).observations.map((o: Json) => o.uuid));
      const risks = new Set((doc.results?.[0] ?? doc).risks.map((r: Json) => r.uuid));
      for (const [, uuid] of text.matchAll(/"href":"#([0-9a-f-]{36})"/g)) expect(resources).toContain(uuid);
      for (const [, uuid] of text.matchAll(/"observation-uuid":"([0-9a-f-]{36})"/g)) expect(observations).toContain(uuid);
      for (const [, uuid] of text.matchAll(/"risk-uuid":"([0-9a-f-]{36})"/g)) expect(risks).toContain(uuid);
      const defined = [...text.matchAll(/"uuid":"([0-9a-f-]{36})"/g)].map((m) => m[1]);
      expect(new Set(defined).size).toBe(defined.length);
    }
  });

  test('observations use the OSCAL method of their evidence source and cite pack files with their SHA-256', () => {
    const { observations } = ar('first').results[0];
    const methods = new Map<string, Set<string>>();
    for (const o of observations) methods.set(propOf(o, 'evidence-source'), new Set([...(methods.get(propOf(o, 'evidence-source')) ?? []), ...o.methods]));
    expect(Object.fromEntries([...methods].map(([k, v]) => [k, [...v]]))).toEqual({
      'config-rule': ['TEST'],
      'process-check': ['INTERVIEW'],
      attestation: ['EXAMINE'],
      'artifact-report': ['EXAMINE'],
      'data-residency': ['TEST'],
    });
    const attachments = ar('first')['back-matter'].resources.filter((r: Json) => r.rlinks?.[0].href.startsWith('attachments/'));
    expect(attachments.length).toBeGreaterThan(0);
    for (const r of attachments) expect(r.rlinks[0].href).toBe(`attachments/${r.rlinks[0].hashes[0].value}`);
  });

  test('the POA&M holds one item per risk: the non-compliant controls and the accepted risks', () => {
    const result: AssessmentResult = readJson(path.join(report('first'), 'assessment-result.json'));
    const { 'poam-items': items, risks } = poam('first');
    const expected = result.controls.filter((c) => RISK_STATUS[c.status]).map((c) => c.id);
    expect(items.map((i: Json) => propOf(i, 'control-id'))).toEqual(expected);
    expect(risks.map((r: Json) => r.status)).toEqual(result.controls.filter((c) => RISK_STATUS[c.status]).map((c) => RISK_STATUS[c.status]));
    expect(items.map((i: Json) => i['related-risks'][0]['risk-uuid'])).toEqual(risks.map((r: Json) => r.uuid));
    // The same risk in both documents is one object: the same UUID and content.
    expect(ar('first').results[0].risks).toEqual(risks);
  });

  test('with no control carrying a risk, no POA&M is written (OSCAL requires one item), and the results still validate', () => {
    const result: AssessmentResult = readJson(path.join(report('first'), 'assessment-result.json'));
    const settled: AssessmentResult = { ...result, controls: result.controls.map((c) => (RISK_STATUS[c.status] ? { ...c, status: 'compliant' } : c)) };
    expect(oscalExport(settled, { marking: 'PROTECTED', system: 'Case Management' }).map((f) => f.path)).toEqual(['oscal/assessment-results.json']);
  });

  test("the system file's agency and control owners are parties in both documents' metadata, and they still validate", () => {
    const result: AssessmentResult = readJson(path.join(report('first'), 'assessment-result.json'));
    const ciso = { name: 'Jane Citizen', role: 'Chief Information Security Officer', email: 'jane.citizen@agency.gov.au' };
    const platform = { name: 'Sam Lee', role: null, email: null };
    const owned: AssessmentResult = {
      ...result,
      system: { name: 'Case Management', agency: 'Department of Examples' },
      controls: result.controls.map((c) => ({ ...c, owner: c.guideline === 'Guidelines for system management' ? platform : ciso })),
    };
    const files = oscalExport(owned, { marking: 'PROTECTED', system: 'Case Management' });
    expect(files.map((f) => f.path)).toEqual(['oscal/assessment-results.json', 'oscal/poam.json']);
    for (const [file, schema] of [
      [files[0], OSCAL_SCHEMAS['assessment-results']],
      [files[1], OSCAL_SCHEMAS.poam],
    ] as const) {
      const doc = JSON.parse(file.text);
      const validate = validatorFor(schema);
      expect([file.path, validate(doc), validate.errors ?? null]).toEqual([file.path, true, null]);
      const metadata = (Object.values(doc)[0] as Json).metadata;
      const party = (name: string) => metadata.parties.find((p: Json) => p.name === name);
      const holders = (role: string) => metadata['responsible-parties'].find((r: Json) => r['role-id'] === role)['party-uuids'];
      expect(party('Department of Examples').type).toBe('organization');
      expect(holders('prepared-for')).toEqual([party('Department of Examples').uuid]);
      expect(party('Jane Citizen')).toMatchObject({ type: 'person', props: [{ name: 'job-title', value: ciso.role }], 'email-addresses': [ciso.email] });
      expect(party('Sam Lee')).toEqual({ uuid: expect.any(String), type: 'person', name: 'Sam Lee' });
      expect(new Set(holders('control-owner'))).toEqual(new Set([party('Jane Citizen').uuid, party('Sam Lee').uuid]));
    }
  });

  test('a document that does not validate is refused before anything is returned', () => {
    const result: AssessmentResult = readJson(path.join(report('first'), 'assessment-result.json'));
    // A blank marking breaks OSCAL's non-blank string rule: an export bug as far as the schema knows.
    expect(() => oscalExport(result, { marking: ' ', system: null })).toThrow(/^oscal\/assessment-results\.json: the export does not validate against NIST's OSCAL schema oscal_assessment-results_schema\.json: \/assessment-results\/metadata\/props\/0\/value /);
  });
});

test('the bundled schemas are byte-identical to the reference copies, as their provenance note says', () => {
  const provenance = readFileSync(path.join(OSCAL_SCHEMAS_DIR, 'PROVENANCE.md'), 'utf8');
  for (const file of Object.values(OSCAL_SCHEMAS)) {
    const bundled = readFileSync(path.join(OSCAL_SCHEMAS_DIR, file));
    expect(bundled.equals(readFileSync(path.join(SCHEMAS, file)))).toBe(true);
    expect(provenance).toContain(createHash('sha256').update(bundled).digest('hex'));
  }
});

test('uuidV5 is RFC 4122 version 5', () => {
  // Python's uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org').
  expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
});
