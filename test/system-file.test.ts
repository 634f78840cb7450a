import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AssessmentResult } from '../src/assess/result';
import { parseOwner } from '../src/cli/options';
import { starterSystemFile } from '../src/config/starter';
import { ownersSource, SystemFile } from '../src/config/system-file';
import { builtinCatalog } from '../src/mapping/catalog';
import { attentionView } from '../src/render/view/attention';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

/** The system file through the compiled CLI (`npm run build` first), and its loader in-process. */
const tmp = useTempDir();
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const cli = (cwd: string, ...args: string[]) => runProcess(process.execPath, [BIN, ...args], { cwd });
const readResult = (report: string): AssessmentResult => JSON.parse(readFileSync(path.join(report, 'assessment-result.json'), 'utf8'));

const SYSTEM_FILE = `# the sample agency's system
system: Case Management System
agency: Department of Examples
baseline: PROTECTED
marking: PROTECTED//CABINET
allowed-regions: [ap-southeast-2]
owners:
  default:
    name: Jane Citizen
    role: Chief Information Security Officer
    email: jane.citizen@agency.gov.au
  guidelines:
    Guidelines for system management:
      name: Sam Lee
      role: Platform team lead
  sections:
    Data backup and restoration:
      name: Priya Shah
      email: priya.shah@agency.gov.au
  controls:
    ISM-1511:
      name: Alex Citizen
`;

const write = (dir: string, name: string, text: string): string => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

describe('a system file in the working directory', () => {
  let result: AssessmentResult;
  let controlsCsv: Record<string, string>[];
  beforeAll(async () => {
    const dir = path.join(tmp(), 'cwd');
    write(dir, 'auditpack.yaml', SYSTEM_FILE);
    const run = await cli(dir, 'demo', '--out', 'demo', '--format', 'csv', '--quiet');
    expect([run.code, run.stderr]).toEqual([0, '']);
    result = readResult(path.join(dir, 'demo', 'report'));
    controlsCsv = parse(readFileSync(path.join(dir, 'demo', 'report', 'csv', 'controls.csv')), { columns: true });
  }, 120_000);

  test('names the system and agency in the result, and sets the baseline and allowed regions', () => {
    expect(result.system).toEqual({ name: 'Case Management System', agency: 'Department of Examples' });
    expect(result.baseline).toBe('PROTECTED');
    expect(result.dataResidency.allowedRegions).toEqual(['ap-southeast-2']);
  });

  test('gives each control its most specific owner: control, then section, then guideline, then the default', () => {
    const owner = (id: string) => result.controls.find((c) => c.id === id)!.owner;
    // ism-1511 is in "Data backup and restoration" of "Guidelines for system management": its own entry wins over both.
    const backup = result.controls.find((c) => c.id === 'ism-1511')!;
    expect([backup.guideline, backup.section]).toEqual(['Guidelines for system management', 'Data backup and restoration']);
    expect(owner('ism-1511')).toEqual({ name: 'Alex Citizen', role: null, email: null });
    const inSection = result.controls.find((c) => c.section === 'Data backup and restoration' && c.id !== 'ism-1511')!;
    expect(inSection.owner).toEqual({ name: 'Priya Shah', role: null, email: 'priya.shah@agency.gov.au' });
    const inGuideline = result.controls.find((c) => c.guideline === 'Guidelines for system management' && c.section !== 'Data backup and restoration')!;
    expect(inGuideline.owner).toEqual({ name: 'Sam Lee', role: 'Platform team lead', email: null });
    const elsewhere = result.controls.find((c) => c.guideline !== 'Guidelines for system management')!;
    expect(elsewhere.owner).toEqual({ name: 'Jane Citizen', role: 'Chief Information Security Officer', email: 'jane.citizen@agency.gov.au' });
  });

  test('report --from-result keeps the system the result names, and refuses --owner, which the result decided', async () => {
    const dir = path.join(tmp(), 'cwd');
    const rendered = await cli(dir, 'report', '--from-result', path.join('demo', 'report', 'assessment-result.json'), '--out', 'again', '--format', 'csv', '--quiet');
    expect([rendered.code, rendered.stderr]).toEqual([0, '']);
    const summary = parse(readFileSync(path.join(dir, 'again', 'csv', 'summary.csv')), { columns: true }) as { item: string; value: string }[];
    expect(summary.find((i) => i.item === 'System')?.value).toBe('Case Management System');
    expect(summary.find((i) => i.item === 'Organisation')?.value).toBe('Department of Examples');
    const refused = await cli(dir, 'report', '--from-result', path.join('demo', 'report', 'assessment-result.json'), '--out', 'again2', '--owner', 'Someone');
    expect([refused.code, refused.stderr]).toEqual([1, 'auditpack: --owner: the result file decided it when it was assessed; assess the pack again (auditpack report PACK) to change it\n']);
  }, 60_000);

  test("the report's list of controls needing attention names each one's owner", () => {
    const rows = attentionView(result).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.owner).toBe(result.controls.find((c) => c.id === row.id)!.owner!.name);
  });

  test('the Controls table carries each owner', () => {
    const row = controlsCsv.find((r) => r.control_id === 'ism-1511')!;
    expect([row.owner, row.owner_role, row.owner_email]).toEqual(['Alex Citizen', '', '']);
    expect(controlsCsv.filter((r) => r.owner === '')).toEqual([]);
  });
});

describe('--config and the command line', () => {
  test('--config names the file, and each option wins over its key', async () => {
    const config = write(path.join(tmp(), 'elsewhere'), 'case-management.yaml', SYSTEM_FILE);
    const out = path.join(tmp(), 'config-demo');
    const run = await cli(tmp(), '--config', config, 'demo', '--out', out, '--format', 'csv', '--quiet', '--system', 'Payroll', '--baseline', 'E8_ML2', '--allowed-regions', 'ap-southeast-4', '--owner', 'Chris Nguyen, CFO, chris.nguyen@agency.gov.au');
    expect([run.code, run.stderr]).toEqual([0, '']);
    const result = readResult(path.join(out, 'report'));
    expect(result.system).toEqual({ name: 'Payroll', agency: 'Department of Examples' });
    expect(result.baseline).toBe('E8_ML2');
    expect(result.dataResidency.allowedRegions).toEqual(['ap-southeast-4']);
    // --owner replaces the default; the file's more specific owners still apply.
    const owners = new Set(result.controls.map((c) => c.owner?.name));
    expect(owners.has('Chris Nguyen')).toBe(true);
    expect(owners.has('Jane Citizen')).toBe(false);
    const summary = parse(readFileSync(path.join(out, 'report', 'csv', 'summary.csv')), { columns: true }) as { item: string; value: string }[];
    expect(summary.find((i) => i.item === 'Organisation')?.value).toBe('Department of Examples');
    // The file's marking applies, since no --marking was given.
    expect(summary.find((i) => i.item === 'Protective marking')?.value).toBe('PROTECTED//CABINET');
  }, 120_000);

  test('--config naming a missing file is an error', async () => {
    const run = await cli(tmp(), '--config', 'nowhere.yaml', 'report', 'pack', '--out', 'r');
    expect([run.code, run.stderr]).toEqual([1, 'auditpack: --config: nowhere.yaml does not exist (auditpack init --out nowhere.yaml writes a starter file)\n']);
  });
});

describe('a bad system file', () => {
  const bad = (edit: (text: string) => string) => edit(SYSTEM_FILE);
  test.each([
    ['an unknown key', (t: string) => t.replace('agency:', 'agnecy:'), 3, 'Unrecognized key: "agnecy"'],
    ['an unknown owner key', (t: string) => t.replace('    role: Chief', '    title: Chief'), 10, 'owners.default: Unrecognized key: "title"'],
    ['a bad email', (t: string) => t.replace('jane.citizen@agency.gov.au', 'jane.citizen'), 11, 'owners.default.email: is not an email address such as jane.citizen@agency.gov.au'],
    ['an unknown baseline', (t: string) => t.replace('baseline: PROTECTED', 'baseline: PROTECTD'), 4, 'baseline: unknown baseline "PROTECTD"; expected one of'],
    ['a bad marking', (t: string) => t.replace('marking: PROTECTED//CABINET', 'marking: SECRETISH'), 5, 'marking: "SECRETISH" is not a PSPF marking'],
    ['an unknown region', (t: string) => t.replace('[ap-southeast-2]', '[ap-southeast-2, ap-southeast-9]'), 6, 'allowed-regions.1: "ap-southeast-9" is not an AWS region'],
    ['a guideline not in the catalog', (t: string) => t.replace('Guidelines for system management:', 'Guidelines for systems management:'), 13, 'owners.guidelines: "Guidelines for systems management" is not a guideline of ISM catalog'],
    ['a section not in the catalog', (t: string) => t.replace('Data backup and restoration:', 'Data backups:'), 17, 'owners.sections: "Data backups" is not a section of ISM catalog'],
    ['a control id not in the catalog', (t: string) => t.replace('ISM-1511:', 'ism-9999:'), 21, 'owners.controls: "ism-9999" is not a control of ISM catalog'],
    ['an agency without a system', (t: string) => t.replace('system: Case Management System\n', ''), 2, 'agency: names the agency of a system, but no system is named'],
    ['a key given twice', (t: string) => t.replace('marking: PROTECTED//CABINET', 'system: Another'), 5, 'Map keys must be unique'],
  ])('%s: one line naming the file and line, exit 1, nothing written', async (_what, edit, line, message) => {
    const dir = path.join(tmp(), `bad-${line}-${message.length}`);
    write(dir, 'auditpack.yaml', bad(edit));
    const run = await cli(dir, 'demo', '--out', 'demo', '--format', 'csv', '--quiet');
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr.startsWith(`auditpack: auditpack.yaml:${line}: ${message}`)).toBe(true);
    expect(existsSync(path.join(dir, 'demo'))).toBe(false);
  }, 60_000);
});

describe('auditpack init', () => {
  test('writes a commented starter file that loads, refuses to overwrite it, and replaces it with --force', async () => {
    const dir = path.join(tmp(), 'init');
    mkdirSync(dir);
    expect((await cli(dir, 'init')).code).toBe(0);
    const file = path.join(dir, 'auditpack.yaml');
    expect(readFileSync(file, 'utf8')).toBe(starterSystemFile());
    expect(SystemFile.load(file).settings.baseline).toBe('PROTECTED');
    writeFileSync(file, 'system: Mine\n');
    const again = await cli(dir, 'init');
    expect([again.code, again.stderr]).toEqual([1, 'auditpack: auditpack.yaml: already exists; edit it, or give --force to replace it with a new starter file\n']);
    expect(readFileSync(file, 'utf8')).toBe('system: Mine\n');
    expect((await cli(dir, 'init', '--force')).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(starterSystemFile());
  });

  test("the starter's commented examples are valid too, once uncommented", () => {
    const uncommented = starterSystemFile()
      .split('\n')
      .map((line) => line.replace(/^# ([a-z-]+:.*|  .*)$/, '$1'))
      .join('\n');
    const file = write(path.join(tmp(), 'uncommented'), 'auditpack.yaml', uncommented);
    const system = SystemFile.load(file);
    expect(system.settings).toMatchObject({ system: 'Case Management System', agency: 'Department of Examples', marking: 'PROTECTED//CABINET', allowedRegions: ['ap-southeast-2', 'ap-southeast-4'] });
    const owners = system.owners(builtinCatalog(), undefined);
    expect([owners.default?.name, Object.keys(owners.byGuideline), Object.keys(owners.bySection), Object.keys(owners.byControl)]).toEqual([
      'Jane Citizen',
      ['Guidelines for system management'],
      ['Data backup and restoration'],
      ['ism-1564'],
    ]);
  });
});

describe('--owner', () => {
  test.each([
    ['Jane Citizen', { name: 'Jane Citizen', role: null, email: null }],
    ['Jane Citizen, CISO', { name: 'Jane Citizen', role: 'CISO', email: null }],
    ['Jane Citizen, jane@agency.gov.au', { name: 'Jane Citizen', role: null, email: 'jane@agency.gov.au' }],
    [' Jane Citizen , CISO , jane@agency.gov.au ', { name: 'Jane Citizen', role: 'CISO', email: 'jane@agency.gov.au' }],
  ])('"%s" is a name, an optional role and an optional email', (value, owner) => {
    expect(parseOwner(value)).toEqual(owner);
  });

  test.each([
    ['', /^--owner: no name given/],
    ['Jane, CISO, Security, jane@agency.gov.au', /^--owner: ".*" is not "NAME\[, ROLE\]\[, EMAIL\]"/],
    ['Jane, CISO, jane@agency', /^--owner: "jane@agency" is not an email address/],
  ])('"%s" is refused', (value, message) => {
    expect(() => parseOwner(value)).toThrow(message);
  });
});

test('without a system file, --owner alone owns every control, and with neither no owners are given', () => {
  const owner = { name: 'Jane Citizen', role: null, email: null };
  expect(ownersSource(null, owner)?.(builtinCatalog())).toEqual({ default: owner, byGuideline: {}, bySection: {}, byControl: {} });
  expect(ownersSource(null, undefined)).toBeUndefined();
});
