import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import conformancePacks from '../src/facts/conformance-packs.json';
import { assess } from '../src/assess/assess';
import { openPack } from '../src/evidence/reader';
import { baselineControls, builtinCatalog } from '../src/mapping/catalog';
import { BUILTIN_MAPPINGS_DIR, loadMappings } from '../src/mapping/mappings';
import { accountForRules, managedRuleIdentifiers, recordedPackVersions } from '../src/mapping/rule-accounting';
import { evaluation, recorder, rule, writePack } from './helpers/pack';
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

/** A folder of the user's own mapping files. */
function custom(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp(), name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
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

  it('map only rule identifiers that the managed rule list or a recorded ACSC pack version names', () => {
    const known = new Set([...managedRuleIdentifiers(), ...recordedPackVersions().flatMap((v) => v.identifiers)]);
    expect([...mappings.ruleMappings.keys()].filter((id) => !known.has(id))).toEqual([]);
  });

  it('keep ruleControls to identifiers with at least one deciding control', () => {
    for (const [identifier, m] of mappings.ruleMappings) {
      expect([identifier, mappings.ruleControls.get(identifier)]).toEqual([identifier, m.kind === 'decides' ? m.controls : undefined]);
    }
    for (const ids of mappings.ruleControls.values()) expect(ids.length).toBeGreaterThan(0);
  });

  it('classify service prefixes and exact resource types', () => {
    expect(mappings.categoryOf('AWS::EC2::Instance')).toBe('infrastructure');
    expect(mappings.categoryOf('AWS::RDS::DBInstance')).toBe('container');
    expect(mappings.categoryOf('AWS::S3::Bucket')).toBe('abstracted');
    expect(mappings.categoryOf('AWS::Unknown::Thing')).toBeNull();
  });
});

describe('every deployed rule is accounted for', () => {
  const reference = path.join(__dirname, '..', '..', 'shared', 'reference', 'config-managed-rules.csv');

  it('each identifier of the managed rule list and of every recorded ACSC pack version has controls or a reason for none', () => {
    const accounting = accountForRules(loadMappings(catalog));
    expect(accounting.managedRuleList).toMatchObject({ identifiers: 433, unaccounted: [] });
    expect(accounting.packVersions.map((v) => [v.name, v.commit?.slice(0, 8), v.unaccounted])).toEqual([
      ['Operational-Best-Practices-for-ACSC-ISM-Part1', '434edace', []],
      ['Operational-Best-Practices-for-ACSC-ISM-Part2', '434edace', []],
      ['Operational-Best-Practices-for-ACSC-Essential8', '434edace', []],
      ['Operational-Best-Practices-for-ACSC-ISM', '241e5b44', []],
      ['Operational-Best-Practices-for-ACSC-ISM', '56a7177d', []],
      ['Operational-Best-Practices-for-ACSC-Essential8', '19bbc6cd', []],
      ['Operational-Best-Practices-for-ACSC-Essential8', '56a7177d', []],
    ]);
    expect(accounting.unaccountedTotal).toBe(0);
  });

  it('an identifier whose entry is removed shows up as unaccounted in every list that names it', () => {
    const dir = mappingsWith('no-ssh', 'config-rules.yaml', (t) => t.replace(/  INCOMING_SSH_DISABLED:\n(    .*\n)+/, ''));
    // A practice may name only accounted identifiers, so the one that uses it lets go of it too.
    const practices = path.join(dir, 'practices.yaml');
    writeFileSync(practices, readFileSync(practices, 'utf8').replace('INCOMING_SSH_DISABLED, ', ''));
    const accounting = accountForRules(loadMappings(catalog, { dir }));
    expect(accounting.managedRuleList.unaccounted).toEqual(['INCOMING_SSH_DISABLED']);
    expect(accounting.packVersions.filter((v) => v.unaccounted.includes('INCOMING_SSH_DISABLED')).map((v) => v.commit?.slice(0, 8))).toEqual(['241e5b44', '56a7177d', '19bbc6cd', '56a7177d']);
    expect(accounting.unaccountedTotal).toBe(1);
  });

  (existsSync(reference) ? it : it.skip)('the managed rule facts hold exactly the identifiers of the reference list', () => {
    const rows: { identifier: string }[] = parse(readFileSync(reference, 'utf8'), { columns: true });
    expect([...managedRuleIdentifiers()]).toEqual(rows.map((r) => r.identifier).sort());
  });

  it('older pack versions are recorded with their provenance, including the rules later versions dropped', () => {
    const older = recordedPackVersions().filter((v) => v.commit !== conformancePacks.source.commit);
    expect(older.length).toBeGreaterThan(0);
    for (const v of older) expect(v.source).toMatch(/^awslabs\/aws-config-rules@[0-9a-f]{40}:aws-config-conformance-packs\/Operational-Best-Practices-for-ACSC-(ISM|Essential8)\.yaml$/);
    const named = ['INCOMING_SSH_DISABLED', 'VPC_DEFAULT_SECURITY_GROUP_CLOSED', 'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC', 'RDS_SNAPSHOTS_PUBLIC_PROHIBITED', 'RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN'];
    const current = new Set(conformancePacks.packs.flatMap((p) => p.rules.map((r) => r.identifier)));
    for (const id of named) expect([id, current.has(id), older.some((v) => v.identifiers.includes(id))]).toEqual([id, false, true]);
  });
});

describe('mapped rules that a pack does not deploy', () => {
  const attestation = { id: 'att-scan', controlIds: ['ism-1808'], statement: 'Weekly scans with our own scanner', attester: 'CISO', attestedOn: '2026-10-01', validUntil: '2027-09-30', attachments: [] };
  const statusOf = async (name: string, content: Parameters<typeof writePack>[1]) => {
    const dir = path.join(tmp(), name);
    await writePack(dir, { recorderStatus: [recorder()], ...content });
    const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings: loadMappings(catalog) });
    return result.controls.find((c) => c.id === 'ism-1808')!;
  };

  it('leave the control to its attestation', async () => {
    expect(await statusOf('undeployed', { attestations: [attestation] })).toMatchObject({ status: 'attested' });
  });

  it('still decide it once deployed, even before they have results', async () => {
    expect(await statusOf('deployed', { attestations: [attestation], configRules: [rule('INSPECTOR_EC2_SCAN_ENABLED')] })).toMatchObject({
      status: 'insufficient-evidence',
      rationale: 'No applicable result in the pack from INSPECTOR_EC2_SCAN_ENABLED.',
    });
  });
});

describe('event-log controls are decided only by rules on log stores', () => {
  const mappings = loadMappings(catalog);
  const EVENT_LOG_PROTECTION = ['ism-1984', 'ism-1985', 'ism-1815'];
  // Rules whose resources are the logs themselves: trails, log groups and the trail's bucket.
  const LOG_STORE_RULES = ['CLOUDTRAIL_S3_BUCKET_PUBLIC_ACCESS_PROHIBITED', 'CLOUDTRAIL_SECURITY_TRAIL_ENABLED', 'CLOUDWATCH_LOG_GROUP_ENCRYPTED', 'CLOUD_TRAIL_ENCRYPTION_ENABLED'];

  it('no other rule decides ism-1984, ism-1985 or ism-1815', () => {
    const deciders = [...mappings.ruleControls].filter(([, ids]) => ids.some((id) => EVENT_LOG_PROTECTION.includes(id))).map(([identifier]) => identifier);
    expect(deciders.sort()).toEqual(LOG_STORE_RULES);
  });

  it("the Part 2 pack's own pairs stay visible as aws-pack supporting evidence", () => {
    const part2 = conformancePacks.packs.find((p) => p.name.endsWith('Part2'))!;
    for (const r of part2.rules) {
      const m = mappings.ruleMappings.get(r.identifier);
      expect(m?.kind).not.toBe('none');
      expect(m).toMatchObject({ provenance: 'aws-pack', supporting: expect.arrayContaining((r as { statedControlIds: string[] }).statedControlIds) });
    }
  });

  it('a compliant public-bucket, database TLS or mesh TLS rule alone leaves the event-log controls without evidence', async () => {
    const dir = path.join(tmp(), 'loose-pairs');
    const loose = ['S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_DEFAULT_LOCK_ENABLED', 'S3_BUCKET_MFA_DELETE_ENABLED', 'RDS_MYSQL_INSTANCE_ENCRYPTED_IN_TRANSIT', 'MSK_IN_CLUSTER_NODE_REQUIRE_TLS', 'APPMESH_VIRTUAL_NODE_BACKEND_DEFAULTS_TLS_ON'];
    await writePack(dir, { recorderStatus: [recorder()], configRules: loose.map((id) => rule(id)), evaluations: loose.map((id) => evaluation(id, `r-${id}`, 'COMPLIANT')) });
    const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings });
    for (const id of EVENT_LOG_PROTECTION) expect([id, result.controls.find((c) => c.id === id)!.status]).not.toEqual([id, 'compliant']);
    expect(result.controls.find((c) => c.id === 'ism-1852')!.status).toBe('compliant');
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

  const ruleError = (name: string, entry: string, expected: RegExp, needle: string) => {
    const dir = custom(name, { 'config-rules.yaml': `rules:\n  A_FINE_RULE:\n    controls: [ism-1852]\n    rationale: Fine.\n    provenance: auditpack\n${entry}` });
    const file = path.join(dir, 'config-rules.yaml');
    const line = lineOf(readFileSync(file, 'utf8'), needle);
    expect(line).toBeGreaterThan(5);
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${line}: ${expected.source}`));
  };

  it('a rule entry without provenance', () => {
    ruleError('no-provenance', '  MY_RULE:\n    controls: [ism-1508]\n    rationale: Ours.\n', /rules\.MY_RULE\.provenance: must be aws-pack .* or auditpack/, 'controls: [ism-1508]');
  });

  it('a rule identifier that is not in the managed identifier format', () => {
    ruleError('bad-identifier', '  my-rule:\n    controls: [ism-1508]\n    rationale: Ours.\n    provenance: auditpack\n', /rule my-rule: must be a managed rule identifier/, 'controls: [ism-1508]');
  });

  it('a rule entry with both controls and noControl', () => {
    ruleError('both', '  MY_RULE:\n    controls: [ism-1508]\n    noControl: It does nothing.\n    provenance: auditpack\n', /rule MY_RULE gives both noControl and controls/, 'controls: [ism-1508]');
  });

  it('a rule entry with neither controls nor noControl', () => {
    ruleError('neither', '  MY_RULE:\n    rationale: Only words.\n    provenance: auditpack\n', /rule MY_RULE names no controls; give controls \(or supporting ones\), or noControl/, 'Only words.');
  });

  it('aws-pack provenance for a rule no pack states a control for', () => {
    ruleError('not-stated', '  IAM_USER_MFA_ENABLED:\n    controls: [ism-0974]\n    rationale: Ours.\n    provenance: aws-pack\n', /rule IAM_USER_MFA_ENABLED: no ACSC pack states a control for it, so its provenance must be auditpack/, 'provenance: aws-pack');
  });

  it("aws-pack provenance that drops the pack's own control", () => {
    ruleError('dropped', '  MSK_IN_CLUSTER_NODE_REQUIRE_TLS:\n    controls: [ism-1781]\n    rationale: Ours.\n    provenance: aws-pack\n', /rule MSK_IN_CLUSTER_NODE_REQUIRE_TLS: the pack states ism-1984; keep it in controls or supporting/, 'provenance: aws-pack');
  });

  it('a control that is both deciding and supporting', () => {
    ruleError('twice', '  MY_RULE:\n    controls: [ism-1852]\n    supporting: [ism-1852]\n    rationale: Ours.\n    provenance: auditpack\n', /rule MY_RULE: ism-1852 is both deciding and supporting/, 'supporting: [ism-1852]');
  });

  it('an unknown supporting control id', () => {
    ruleError('unknown-supporting', '  MY_RULE:\n    controls: [ism-1852]\n    supporting: [ism-9999]\n    rationale: Ours.\n    provenance: auditpack\n', /control ism-9999 is not in ISM catalog/, 'ism-9999');
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
  const physical = catalog.controls.find((c) => c.guideline === 'Guidelines for physical security')!;

  it('add and override rules, responsibilities, residency and declarations of not applicable', () => {
    const dir = custom('override', {
      'config-rules.yaml':
        'rules:\n  IAM_ROOT_ACCESS_KEY_CHECK:\n    controls: [ism-1173]\n    rationale: Our own reading.\n    provenance: auditpack\n  MY_CUSTOM_RULE:\n    controls: [ism-0039]\n    rationale: Ours.\n    provenance: auditpack\n  S3_BUCKET_LOGGING_ENABLED:\n    noControl: Our buckets log elsewhere.\n    provenance: auditpack\n  S3_BUCKET_VERSIONING_ENABLED:\n    supporting: [ism-1511]\n    rationale: Context only.\n    provenance: auditpack\n',
      'responsibility.yaml': `controls:\n  ${physical.id}:\n    responsibility: customer\n    rationale: We run our own data centre too.\n`,
      'data-residency.yaml': 'allowedRegions: [ap-southeast-2]\ncontrols: [ism-1572]\nrationale: Sydney only.\n',
      'not-applicable.yaml': 'notApplicable:\n  - guideline: Guidelines for communications systems\n    section: Telephone systems\n    rationale: The system has no telephones.\n',
    });
    const m = loadMappings(catalog, { extraDir: dir });
    expect(m.ruleControls.get('IAM_ROOT_ACCESS_KEY_CHECK')).toEqual(['ism-1173']);
    expect(m.ruleControls.get('MY_CUSTOM_RULE')).toEqual(['ism-0039']);
    expect(m.ruleControls.get('S3_BUCKET_PUBLIC_READ_PROHIBITED')).toBeDefined();
    expect(m.ruleControls.has('S3_BUCKET_LOGGING_ENABLED')).toBe(false);
    expect(m.ruleMappings.get('S3_BUCKET_LOGGING_ENABLED')).toMatchObject({ kind: 'none', reason: 'Our buckets log elsewhere.', line: 11 });
    expect(m.ruleControls.has('S3_BUCKET_VERSIONING_ENABLED')).toBe(false);
    expect(m.ruleMappings.get('S3_BUCKET_VERSIONING_ENABLED')).toMatchObject({ kind: 'supports', supporting: ['ism-1511'] });
    expect(m.responsibilityOf(physical).byCategory.abstracted).toBe('customer');
    expect(m.residency.allowedRegions).toEqual(['ap-southeast-2']);
    const telephone = catalog.controls.find((c) => c.section === 'Telephone systems')!;
    expect(m.notApplicable(telephone)).toEqual({ rationale: 'The system has no telephones.', approval: null });
    expect(m.notApplicable(physical)).toBeNull();
  });

  it('errors point into the user file', () => {
    const dir = custom('bad-custom', { 'not-applicable.yaml': 'notApplicable:\n  - controls: [ism-0039]\n    rationale: fine\n  - controls: [ism-0586]\n    rationale: retired id\n' });
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(`${path.join(dir, 'not-applicable.yaml')}:4: control ism-0586 is not in ISM catalog ${catalog.version}`);
  });

  it('a not-applicable declaration carries its approver and date', () => {
    const dir = custom('approved-na', {
      'not-applicable.yaml':
        'notApplicable:\n  - guideline: Guidelines for communications systems\n    section: Telephone systems\n    rationale: No telephones.\n    approvedBy: Alex Citizen, CISO\n    approvedOn: 2026-09-15\n',
    });
    const telephone = catalog.controls.find((c) => c.section === 'Telephone systems')!;
    expect(loadMappings(catalog, { extraDir: dir }).notApplicable(telephone)).toEqual({ rationale: 'No telephones.', approval: { by: 'Alex Citizen, CISO', on: '2026-09-15' } });
  });

  it.each([
    ['an approver without a date', '    approvedBy: Alex Citizen\n', /not-applicable\.yaml:2: .*approvedBy and approvedOn go together/],
    ['a date without an approver', '    approvedOn: 2026-09-15\n', /not-applicable\.yaml:2: .*approvedBy and approvedOn go together/],
    ['a date that is not one', '    approvedBy: Alex Citizen\n    approvedOn: 15/09/2026\n', /not-applicable\.yaml:5: .*must be a date such as 2026-09-15/],
  ])('refuses %s, naming the file and line', (_, extra, message) => {
    const dir = custom(`bad-approval-${extra.length}`, { 'not-applicable.yaml': `notApplicable:\n  - controls: [ism-0039]\n    rationale: fine\n${extra}` });
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(message);
  });

  it('a file name that is not a mapping file is an error, not silently ignored', () => {
    const dir = custom('typo', { 'config-rule.yaml': 'rules: {}\n' });
    expect(() => loadMappings(catalog, { extraDir: dir })).toThrow(/config-rule\.yaml: unknown mapping file; expected one of responsibility\.yaml/);
  });

  it('collects every unknown id for `mappings check` instead of stopping at the first', () => {
    const dir = custom('many', { 'config-rules.yaml': 'rules:\n  A_RULE:\n    controls: [ism-0586, ism-0859]\n    rationale: Retired ids.\n    provenance: auditpack\n' });
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
    expect(json.ruleAccounting).toMatchObject({ managedRuleList: { identifiers: 433, unaccounted: [] }, unaccountedTotal: 0 });
    expect(json.ruleAccounting.packVersions.length).toBe(recordedPackVersions().length);
    expect(json.deployedNotMapped).toBeNull();
  });

  it('with --pack names each deployed rule that decides no control, with the reason', async () => {
    const dir = path.join(tmp(), 'deployed-pack');
    const processCheck = { ...rule('AWS_CONFIG_PROCESS_CHECK'), ruleName: 'response-plan-exists-maintained' };
    const tagged = [rule('ALB_TAGGED'), rule('ALB_TAGGED', '444455556666')].map((r, i) => ({ ...r, ruleName: `alb-tagged-${i}` }));
    await writePack(dir, { recorderStatus: [recorder()], configRules: [rule('S3_BUCKET_LOGGING_ENABLED'), ...tagged, rule('NEWER_MANAGED_RULE'), processCheck] });
    const r = check('--json', '--pack', dir);
    expect(r.status).toBe(0);
    const reason = loadMappings(catalog).ruleMappings.get('ALB_TAGGED');
    expect(reason?.kind).toBe('none');
    expect(JSON.parse(r.stdout).deployedNotMapped).toEqual([
      { identifier: 'ALB_TAGGED', ruleNames: ['alb-tagged-0', 'alb-tagged-1'], reason: reason?.kind === 'none' ? reason.reason : 'unreachable' },
      { identifier: 'NEWER_MANAGED_RULE', ruleNames: ['newer-managed-rule'], reason: null },
    ]);
    const text = check('--pack', dir);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Deployed, not mapped (rules in the pack that decide no control): 2');
    expect(text.stdout).toContain('  NEWER_MANAGED_RULE (newer-managed-rule): no mapping; add it to config-rules.yaml in your --mappings folder');
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
    writeFileSync(path.join(dir, 'config-rules.yaml'), 'rules:\n  A_RULE:\n    controls: [ism-0586]\n    rationale: Retired.\n    provenance: auditpack\n');
    const r = check('--mappings', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${path.join(dir, 'config-rules.yaml')}:3: control ism-0586 is not in ISM catalog`);
    expect(r.stderr).toMatch(/^auditpack: 1 mapping id\(s\) are not in ISM catalog/);
  });
});
