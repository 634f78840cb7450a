import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import packsFacts from '../src/facts/conformance-packs.json';
import ismIndex from '../src/facts/ism-index.json';
import { AuditpackError, ExitCode } from '../src/errors';
import { EVIDENCE_KIND_NAMES, type EvidenceKind, type EvidenceRecord } from '../src/evidence/kinds';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack, type SampleOptions } from '../src/sample';
import { ATTESTED_AREAS } from '../src/sample/attestations';

/** The process checks the ACSC ISM Part 1 template deploys alongside its managed rules. */
const PROCESS_CHECKS = ['response-plan-exists-maintained', 'security-awareness-program-exists', 'audit-log-policy-exists'];

/** Rules on global resources: IAM resource types, or account-level checks of IAM, the root user and CloudTrail. */
const GLOBAL_RULES = new Set(
  packsFacts.packs.flatMap((p) => p.rules).filter((r) => (r.resourceTypes.length ? r.resourceTypes.every((t) => t.startsWith('AWS::IAM::')) : /^(IAM_|ROOT_|MFA_|CLOUD_?TRAIL_|MULTI_REGION_CLOUD_TRAIL_)/.test(r.identifier))).map((r) => r.identifier),
);
const AUSTRALIAN_REGIONS = ['ap-southeast-2', 'ap-southeast-4'];
const COLLECTION_DATE = '2026-11-16';

let tmp: string;
let n = 0;

async function generate(options: SampleOptions): Promise<string> {
  const dir = path.join(tmp, `pack-${n++}`);
  await generateSamplePack(dir, options);
  return dir;
}

/** Every file of a folder, by relative path, with its SHA-256. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}

async function all<K extends EvidenceKind>(pack: EvidencePack, kind: K): Promise<EvidenceRecord<K>[]> {
  const out: EvidenceRecord<K>[] = [];
  for await (const r of pack.records(kind)) out.push(r);
  return out;
}

type Evidence = { [K in EvidenceKind]: EvidenceRecord<K>[] };

async function readAll(dir: string): Promise<{ pack: EvidencePack; e: Evidence }> {
  const pack = await openPack(dir);
  const e = {} as Record<EvidenceKind, unknown[]>;
  for (const kind of EVIDENCE_KIND_NAMES) e[kind] = await all(pack, kind);
  return { pack, e: e as Evidence };
}

const where = (r: { accountId: string; region: string }) => `${r.accountId}/${r.region}`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'auditpack-sample-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('sample pack: determinism', () => {
  it('is byte-identical for the same options, file by file', async () => {
    const a = await generate(DEFAULT_SAMPLE_OPTIONS);
    const b = await generate({ ...DEFAULT_SAMPLE_OPTIONS });
    expect(await readFile(path.join(b, 'manifest.json'), 'utf8')).toBe(await readFile(path.join(a, 'manifest.json'), 'utf8'));
    const fa = await fingerprint(a);
    expect(Object.keys(fa).length).toBeGreaterThan(10);
    expect(await fingerprint(b)).toEqual(fa);
  });

  it('with a different seed, keeps the accounts, resources and rules and varies the outcomes', async () => {
    const [a, b] = [await generate(DEFAULT_SAMPLE_OPTIONS), await generate({ ...DEFAULT_SAMPLE_OPTIONS, seed: 2 })];
    const [fa, fb] = [await fingerprint(a), await fingerprint(b)];
    expect(fb['manifest.json']).not.toBe(fa['manifest.json']);
    for (const same of ['config/resources.jsonl', 'config/rules.jsonl', 'config/recorder-status.jsonl']) {
      expect(fa[same]).toBeDefined();
      expect([same, fb[same]]).toEqual([same, fa[same]]);
    }
    const [ea, eb] = [(await readAll(a)).e, (await readAll(b)).e];
    expect((await openPack(b)).manifest.scope).toEqual((await openPack(a)).manifest.scope);
    // The same evaluations, result for result, with some outcomes changed.
    const judged = (e: Evidence) => e.evaluations.map((x) => `${where(x)}|${x.ruleName}|${x.resourceId}`);
    expect(judged(eb)).toEqual(judged(ea));
    const flipped = ea.evaluations.filter((x, i) => x.complianceType !== eb.evaluations[i].complianceType);
    expect(flipped.length).toBeGreaterThan(0);
  });

  it('refuses options it cannot honour, as an error (exit 1)', async () => {
    for (const bad of [{ accounts: 0 }, { seed: 1.5 }, { resourcesPerAccount: -1 }, { period: '../2026' }]) {
      const attempt = generateSamplePack(path.join(tmp, 'bad'), { ...DEFAULT_SAMPLE_OPTIONS, ...bad });
      await expect(attempt).rejects.toThrow(AuditpackError);
      await expect(attempt).rejects.toMatchObject({ exitCode: ExitCode.Error });
    }
  });
});

describe('sample pack: default contents', () => {
  let dir: string;
  let pack: EvidencePack;
  let e: Evidence;

  beforeAll(async () => {
    dir = await generate(DEFAULT_SAMPLE_OPTIONS);
    ({ pack, e } = await readAll(dir));
  });

  it('describes a fictional agency as sample data, with fixed times', () => {
    const m = pack.manifest;
    expect(m.sample).toBe(true);
    expect(m.organisation).toContain('SAMPLE DATA');
    expect(m.period).toBe('2026-Q4');
    expect(m.packId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(m.startedAt.startsWith(`${COLLECTION_DATE}T22:00:00`)).toBe(true);
    expect(Date.parse(m.completedAt) - Date.parse(m.startedAt)).toBeGreaterThan(60_000);
    expect(Date.parse(m.completedAt) - Date.parse(m.startedAt)).toBeLessThan(15 * 60_000);
    expect(m.gaps).toEqual([]);
  });

  it('has three landing-zone accounts and the three Regions', () => {
    const accounts = pack.manifest.scope.accounts;
    expect(accounts.map((a) => a.name)).toEqual(['sample-security', 'sample-production', 'sample-non-production']);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(3);
    expect(pack.manifest.scope.regions).toEqual(['ap-southeast-2', 'ap-southeast-4', 'us-east-1']);
    expect(e.recorderStatus).toHaveLength(9);
  });

  it('has exactly one recorder off in Australia, and nothing recorded there', () => {
    const off = e.recorderStatus.filter((r) => AUSTRALIAN_REGIONS.includes(r.region) && !r.recording);
    expect(off).toHaveLength(1);
    expect(off[0].lastStatus === 'FAILURE' || off[0].lastStatus === null).toBe(true);
    const gap = where(off[0]);
    for (const kind of ['evaluations', 'resources', 'configRules', 'conformancePacks'] as const) {
      expect(e[kind].filter((r) => where(r) === gap)).toEqual([]);
    }
  });

  it('records in us-east-1 in one account only, holding one stray resource and its evaluations', () => {
    const east = e.recorderStatus.filter((r) => r.region === 'us-east-1');
    expect(east.filter((r) => r.recorderName !== null)).toHaveLength(1);
    expect(east.filter((r) => r.recorderName === null).every((r) => !r.recording && r.lastStatus === null)).toBe(true);
    const stray = e.resources.filter((r) => r.region === 'us-east-1');
    expect(stray).toHaveLength(1);
    const judged = e.evaluations.filter((x) => x.region === 'us-east-1' && x.resourceId === stray[0].resourceId);
    expect(judged.length).toBeGreaterThan(5);
    expect(judged.some((x) => x.complianceType === 'NON_COMPLIANT')).toBe(true);
  });

  it('deploys every managed rule of the three packs, and the Part 1 process checks, in every recording account and Region (global ones at home)', () => {
    const part1 = packsFacts.packs[0].name;
    const expected = [...packsFacts.packs.flatMap((p) => p.rules.map((r) => `${p.name}|${r.identifier}`)), ...PROCESS_CHECKS.map(() => `${part1}|AWS_CONFIG_PROCESS_CHECK`)].sort();
    const recording = e.recorderStatus.filter((r) => r.recording);
    expect(recording).toHaveLength(6);
    for (const place of recording.map(where)) {
      const rules = e.configRules.filter((r) => where(r) === place);
      const deployed = rules.map((r) => `${r.conformancePack}|${r.sourceIdentifier}`).sort();
      if (place.endsWith('/ap-southeast-2')) expect(deployed).toEqual(expected);
      // Elsewhere the rules on global resources (IAM, the root user, the trail) are left out: the home Region judges them once.
      else expect(deployed).toEqual(expected.filter((r) => !GLOBAL_RULES.has(r.split('|')[1])));
      expect(new Set(rules.map((r) => r.ruleName)).size).toBe(rules.length);
      for (const r of rules) {
        expect(r.ruleArn).toMatch(new RegExp(`^arn:aws:config:${r.region}:${r.accountId}:config-rule/config-rule-[a-z0-9]{6}$`));
        expect(r.sourceOwner).toBe('AWS');
      }
    }
  });

  it('evaluates only deployed rules, inventoried resources and the accounts themselves', () => {
    const rules = new Map(e.configRules.map((r) => [`${where(r)}|${r.ruleName}`, r]));
    const resources = new Set(e.resources.map((r) => `${where(r)}|${r.resourceType}|${r.resourceId}`));
    const start = Date.parse(pack.manifest.startedAt);
    for (const x of e.evaluations) {
      const rule = rules.get(`${where(x)}|${x.ruleName}`);
      expect(rule).toBeDefined();
      if (x.resourceType === 'AWS::::Account') expect(x.resourceId).toBe(x.accountId);
      else expect(resources.has(`${where(x)}|${x.resourceType}|${x.resourceId}`)).toBe(true);
      expect(Date.parse(x.configRuleInvokedTime)).toBeLessThan(Date.parse(x.resultRecordedTime));
      expect(Date.parse(x.resultRecordedTime)).toBeLessThan(start);
      if (x.complianceType === 'NON_COMPLIANT') expect(x.annotation).toBeTruthy();
    }
  });

  it('records the process checks compliant, with an annotation, in the home Region of every account; one has gone stale', () => {
    const checks = new Set(e.configRules.filter((r) => r.sourceIdentifier === 'AWS_CONFIG_PROCESS_CHECK').map((r) => `${where(r)}|${r.ruleName}`));
    const recorded = e.evaluations.filter((x) => checks.has(`${where(x)}|${x.ruleName}`));
    expect(recorded).toHaveLength(PROCESS_CHECKS.length * pack.manifest.scope.accounts.length);
    for (const x of recorded) expect(x).toMatchObject({ region: 'ap-southeast-2', resourceType: 'AWS::::Account', complianceType: 'COMPLIANT', annotation: expect.stringContaining('SAMPLE DATA') });
    const yearBefore = Date.parse(pack.manifest.startedAt) - 365 * 86_400_000;
    const stale = new Set(recorded.filter((x) => Date.parse(x.resultRecordedTime) < yearBefore).map((x) => x.ruleName.replace(/-conformance-pack-.*/, '')));
    expect([...stale]).toEqual(['audit-log-policy-exists']);
  });

  it('has 5k-10k evaluations, mostly compliant, with all four compliance types', () => {
    const count = (t: string) => e.evaluations.filter((x) => x.complianceType === t).length;
    expect(e.evaluations.length).toBeGreaterThanOrEqual(5000);
    expect(e.evaluations.length).toBeLessThanOrEqual(10000);
    for (const t of ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']) expect(count(t)).toBeGreaterThan(0);
    // A well-kept estate: a few findings among thousands of results.
    const failing = count('NON_COMPLIANT') / e.evaluations.length;
    expect(failing).toBeGreaterThan(0.005);
    expect(failing).toBeLessThan(0.05);
    expect(count('COMPLIANT') / e.evaluations.length).toBeGreaterThan(0.85);
  });

  it('tells the production MFA story in the home Region, where the global rules run', () => {
    const production = pack.manifest.scope.accounts.find((a) => a.name === 'sample-production')!;
    const rootMfa = e.evaluations.filter((x) => x.accountId === production.accountId && x.ruleName.startsWith('root-account-hardware-mfa-enabled-'));
    expect(rootMfa.length).toBeGreaterThanOrEqual(1);
    expect(rootMfa.every((x) => x.region === 'ap-southeast-2')).toBe(true);
    expect(rootMfa.every((x) => x.complianceType === 'NON_COMPLIANT')).toBe(true);
  });

  it('leaves some deployed rules without any applicable resource', () => {
    const judged = new Set(e.evaluations.map((x) => `${where(x)}|${x.ruleName}`));
    const idle = e.configRules.filter((r) => !judged.has(`${where(r)}|${r.ruleName}`));
    expect(idle.some((r) => r.sourceIdentifier === 'REDSHIFT_CLUSTER_KMS_ENABLED')).toBe(true);
  });

  it('inventories at least a dozen resource types, with plausible ARNs', () => {
    const types = new Set(e.resources.map((r) => r.resourceType));
    expect(types.size).toBeGreaterThanOrEqual(12);
    const evaluatedTypes = new Set(e.evaluations.map((x) => x.resourceType));
    expect([...types].filter((t) => evaluatedTypes.has(t)).length).toBeGreaterThanOrEqual(12);
    for (const r of e.resources) {
      if (r.arn === null) continue;
      expect(r.arn).toMatch(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+/);
      if (r.resourceType.startsWith('AWS::IAM::')) expect(r.arn).toMatch(new RegExp(`^arn:aws:iam::${r.accountId}:`));
      if (r.resourceType === 'AWS::S3::Bucket') expect(r.arn).toBe(`arn:aws:s3:::${r.resourceId}`);
    }
    const ids = e.resources.map((r) => `${r.accountId}|${r.resourceType}|${r.resourceId}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rolls conformance packs up from their evaluations', () => {
    const packOfRule = new Map(e.configRules.map((r) => [`${where(r)}|${r.ruleName}`, r.conformancePack]));
    expect(e.conformancePacks).toHaveLength(6 * 3);
    for (const p of e.conformancePacks) {
      const mine = e.evaluations.filter((x) => where(x) === where(p) && packOfRule.get(`${where(x)}|${x.ruleName}`) === p.name);
      expect(p.complianceType === 'NON_COMPLIANT').toBe(mine.some((x) => x.complianceType === 'NON_COMPLIANT'));
    }
  });

  it('lists AWS Artifact reports for the usual series, published within the year', () => {
    const series = e.artifactReports.map((r) => r.series);
    for (const s of ['SOC 1', 'SOC 2', 'ISO/IEC 27001', 'ISO/IEC 27017', 'ISO/IEC 27018', 'PCI DSS', 'IRAP']) expect(series).toContain(s);
    for (const r of e.artifactReports) {
      expect(r.state).toBe('PUBLISHED');
      expect(r.attachment).toBeNull();
      expect(r.period!.start >= '2025-11-16' && r.period!.end <= COLLECTION_DATE && r.period!.start < r.period!.end).toBe(true);
    }
    expect(e.artifactAgreements.map((a) => a.state).sort()).toEqual(['ACTIVE', 'CUSTOMER_TERMINATED']);
  });

  it('has attestations backed by attached files, exactly one of them expired', async () => {
    const areas = new Set(ATTESTED_AREAS.map((a) => a.id));
    expect(e.attestations.filter((a) => !areas.has(a.id)).length).toBeGreaterThanOrEqual(3);
    expect(e.attestations.filter((a) => areas.has(a.id))).toHaveLength(ATTESTED_AREAS.length);
    // Topic-area attestations cover whole sections; between them a realistic share of the procedural controls.
    const attested = new Set(e.attestations.flatMap((a) => a.controlIds));
    expect(attested.size).toBeGreaterThanOrEqual(150);
    expect(attested.size).toBeLessThanOrEqual(300);
    for (const a of e.attestations) {
      expect(a.attachments.length).toBeGreaterThanOrEqual(1);
      expect(a.controlIds.length).toBeGreaterThanOrEqual(areas.has(a.id) ? 5 : 1);
      if (!areas.has(a.id)) expect(a.controlIds.length).toBeLessThanOrEqual(3);
      for (const f of a.attachments) {
        const content = await readFile(path.join(dir, 'attachments', f.sha256));
        expect(content.length).toBe(f.bytes);
        expect(content.toString('utf8')).toContain('SAMPLE DATA');
      }
    }
    expect(e.attestations.some((a) => a.attachments.some((f) => f.mediaType === 'text/csv'))).toBe(true);
    expect(e.attestations.filter((a) => a.validUntil < COLLECTION_DATE)).toHaveLength(1);
  });

  it('has one risk acceptance, in force at collection', () => {
    expect(e.exceptions).toHaveLength(1);
    const [x] = e.exceptions;
    expect(x.approvedOn <= COLLECTION_DATE && x.expiresOn > COLLECTION_DATE).toBe(true);
    expect(x.owner && x.rationale && x.approvedBy).toBeTruthy();
  });

  it('cites only controls that apply at PROTECTED', () => {
    const protectedIds = new Set(ismIndex.controls.filter((c) => c.applicability.includes('P')).map((c) => c.id));
    const cited = [...e.attestations, ...e.exceptions].flatMap((x) => x.controlIds);
    expect(cited.length).toBeGreaterThan(0);
    for (const id of cited) expect(protectedIds.has(id)).toBe(true);
  });
});

describe('sample pack: scale', () => {
  it('generates the accounts and resources asked for', async () => {
    const { pack, e } = await readAll(await generate({ ...DEFAULT_SAMPLE_OPTIONS, accounts: 5, resourcesPerAccount: 10 }));
    const accounts = pack.manifest.scope.accounts;
    expect(accounts.map((a) => a.name)).toEqual(['sample-security', 'sample-production', 'sample-non-production', 'sample-workload-001', 'sample-workload-002']);
    expect(e.recorderStatus).toHaveLength(15);
    expect(e.recorderStatus.filter((r) => AUSTRALIAN_REGIONS.includes(r.region) && !r.recording)).toHaveLength(1);
    expect(e.resources.filter((r) => r.region === 'us-east-1')).toHaveLength(1);
    for (const a of accounts) {
      // Ten of the account's own, plus the story resources and Systems Manager items of managed instances.
      const own = e.resources.filter((r) => r.accountId === a.accountId && !r.resourceType.startsWith('AWS::SSM::'));
      expect(own.length).toBeGreaterThanOrEqual(a.name === 'sample-non-production' ? 1 : 10);
      expect(own.length).toBeLessThanOrEqual(13);
      expect(e.evaluations.some((x) => x.accountId === a.accountId && x.resourceType !== 'AWS::::Account')).toBe(true);
    }
    // Ten recording locations: five at home with every rule, five elsewhere without the global ones.
    const all = packsFacts.packs.reduce((sum, p) => sum + p.rules.length, 0);
    const global = packsFacts.packs.flatMap((p) => p.rules).filter((r) => GLOBAL_RULES.has(r.identifier)).length;
    expect(e.configRules).toHaveLength(5 * (all + PROCESS_CHECKS.length) + 5 * (all - global + PROCESS_CHECKS.length));
  });
});
