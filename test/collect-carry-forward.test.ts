import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../src/assess/assess';
import { planCarry, type EarlierPack } from '../src/collect/carry-forward';
import type { EvidenceKind, EvidenceRecord } from '../src/evidence/kinds';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import { builtinCatalog } from '../src/mapping/catalog';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack } from '../src/sample';
import { loadMappings } from '../src/mapping/mappings';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, sampleEstate, startEstateAws, type FakeAws, type FakeEstate } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * collect --carry-forward end to end through the compiled CLI and the fake AWS: a first collection
 * with attestations, a second that carries the still valid ones forward from it.
 */
const tmp = useTempDir('auditpack-carry-forward-');
const CHILD_TIMEOUT_MS = 240_000;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const REGISTER = 'name,completed\nSam,2026-08-01\n';

let estate: FakeEstate;
let aws: FakeAws;
let env: NodeJS.ProcessEnv;

async function records<K extends EvidenceKind>(pack: EvidencePack, kind: K): Promise<EvidenceRecord<K>[]> {
  const out: EvidenceRecord<K>[] = [];
  for await (const r of pack.records(kind)) out.push(r);
  return out;
}

function yaml(dir: string, file: string, lines: string[]): void {
  writeFileSync(path.join(dir, file), [...lines, ''].join('\n'));
}

const attestation = (id: string, validUntil: string, extra: string[] = []) => [
  'kind: attestation',
  `id: ${id}`,
  'controlIds: [ism-0252]',
  `statement: Awareness training (${id}).`,
  'attester: Sam Taylor',
  'attestedOn: 2019-06-30',
  `validUntil: ${validUntil}`,
  ...extra,
];
const riskAcceptance = (id: string, expiresOn: string) => [
  'kind: risk-acceptance',
  `id: ${id}`,
  'controlIds: [ism-0974]',
  'owner: Chris Nguyen',
  'rationale: The vendor tool cannot complete an MFA challenge.',
  'approvedBy: Alex Citizen',
  'approvedOn: 2019-06-30',
  `expiresOn: ${expiresOn}`,
];

/** Last quarter's answers: valid ones (far in the future), expired ones (long past), one answered again this quarter. */
function lastQuarter(dir: string): void {
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeFileSync(path.join(dir, 'files', 'register.csv'), REGISTER);
  yaml(dir, 'att-valid.yaml', attestation('ATT-VALID', '2999-12-31', ['attachments:', '  - path: files/register.csv']));
  yaml(dir, 'att-expired.yaml', attestation('ATT-EXPIRED', '2020-01-31'));
  yaml(dir, 'att-again.yaml', attestation('ATT-AGAIN', '2999-12-31'));
  yaml(dir, 'ra-valid.yaml', riskAcceptance('RA-VALID', '2999-12-31'));
  yaml(dir, 'ra-expired.yaml', riskAcceptance('RA-EXPIRED', '2020-03-31'));
}

const collectArgs = (out: string, ...more: string[]) => ['collect', '--out', out, '--regions', 'ap-southeast-2', '--quiet', ...more];

let earlierDir: string;
beforeAll(async () => {
  estate = await sampleEstate(tmp(), 2);
  aws = await startEstateAws(estate);
  env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: aws.url });
  const answers = path.join(tmp(), 'q3-answers');
  lastQuarter(answers);
  earlierDir = path.join(tmp(), 'q3');
  const first = await runCli(collectArgs(earlierDir, '--period', '2026-Q3', '--attestations', answers), env, tmp());
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
}, CHILD_TIMEOUT_MS);
afterAll(() => aws?.close());

describe('carrying forward from a collected pack', () => {
  let result: CliResult;
  let pack: EvidencePack;
  const out = () => path.join(tmp(), 'q4');

  beforeAll(async () => {
    const answers = path.join(tmp(), 'q4-answers');
    mkdirSync(answers);
    yaml(answers, 'att-again.yaml', attestation('ATT-AGAIN', '2999-06-30'));
    result = await runCli(collectArgs(out(), '--period', '2026-Q4', '--attestations', answers, '--carry-forward', earlierDir), env, tmp());
    pack = await openPack(out());
  }, CHILD_TIMEOUT_MS);

  it('carries the valid records with their attachments, marked with the earlier pack', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const earlier = await openPack(earlierDir);
    const from = { packId: earlier.manifest.packId, period: '2026-Q3', manifestSha256: sha256(readFileSync(path.join(earlierDir, 'manifest.json'))) };
    const attestations = await records(pack, 'attestations');
    const valid = attestations.find((a) => a.id === 'ATT-VALID')!;
    expect(valid.carriedForwardFrom).toEqual(from);
    expect(valid.attachments).toEqual([{ name: 'register.csv', sha256: sha256(REGISTER), bytes: REGISTER.length, mediaType: 'text/csv' }]);
    expect(readFileSync(path.join(out(), 'attachments', sha256(REGISTER)), 'utf8')).toBe(REGISTER);
    const [ra] = await records(pack, 'exceptions');
    expect(ra).toMatchObject({ id: 'RA-VALID', carriedForwardFrom: from });
    expect(pack.manifest.collectors.map((c) => c.name).slice(-2)).toEqual(['manual', 'carry-forward']);
  });

  it('keeps the attestation given again with --attestations, not the carried one', async () => {
    const again = (await records(pack, 'attestations')).filter((a) => a.id === 'ATT-AGAIN');
    expect(again).toHaveLength(1);
    expect(again[0].validUntil).toBe('2999-06-30');
    expect(again[0].carriedForwardFrom).toBeUndefined();
    expect(pack.manifest.carryForward?.replaced).toEqual(['ATT-AGAIN']);
    expect(result.stdout).toContain('replaced by --attestations (same id): ATT-AGAIN');
  });

  it('lists the expired records for renewal, in the manifest and on the summary, and does not carry them', async () => {
    const ids = [...(await records(pack, 'attestations')), ...(await records(pack, 'exceptions'))].map((r) => r.id).sort();
    expect(ids).toEqual(['ATT-AGAIN', 'ATT-VALID', 'RA-VALID']);
    const carry = pack.manifest.carryForward!;
    expect(carry.judgedAt).toBe(pack.manifest.completedAt.slice(0, 10));
    expect(carry.carried.sort()).toEqual(['ATT-VALID', 'RA-VALID']);
    expect(carry.needsRenewal).toEqual([
      { kind: 'attestation', id: 'ATT-EXPIRED', controlIds: ['ism-0252'], until: '2020-01-31' },
      { kind: 'risk-acceptance', id: 'RA-EXPIRED', controlIds: ['ism-0974'], until: '2020-03-31' },
    ]);
    expect(result.stdout).toContain('needs renewal (expired, not carried): attestation ATT-EXPIRED for ism-0252, valid until 2020-01-31');
    expect(result.stdout).toContain('needs renewal (expired, not carried): risk-acceptance RA-EXPIRED for ism-0974, valid until 2020-03-31');
  });

  it('shows the provenance in the assessment result', async () => {
    const catalog = builtinCatalog();
    const assessed = await assess({ pack, catalog, baseline: 'PROTECTED', mappings: loadMappings(catalog) });
    const valid = assessed.manualEvidence.attestations.find((a) => a.id === 'ATT-VALID')!;
    expect(valid.state).toBe('valid');
    expect(valid.carriedForwardFrom?.period).toBe('2026-Q3');
    expect(assessed.pack.carryForward?.needsRenewal.map((r) => r.id)).toEqual(['ATT-EXPIRED', 'RA-EXPIRED']);
    const training = assessed.controls.find((c) => c.id === 'ism-0252')!;
    expect(training.implementationComments).toContain(`(ATT-VALID, 1 attachment hashed in the evidence pack, carried forward from pack ${valid.carriedForwardFrom!.packId} (2026-Q3))`);
  });
});

describe('carrying forward from a sample pack', () => {
  it('marks the new pack as sample: its carried attestations are made up', async () => {
    const demo = path.join(tmp(), 'demo');
    await generateSamplePack(demo, { ...DEFAULT_SAMPLE_OPTIONS, accounts: 1, resourcesPerAccount: 20 });
    const out = path.join(tmp(), 'from-demo');
    const r = await runCli(collectArgs(out, '--carry-forward', demo), env, tmp());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pack = await openPack(out);
    expect(pack.manifest.sample).toBe(true);
    const carried = await records(pack, 'attestations');
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.every((a) => a.carriedForwardFrom?.packId === pack.manifest.carryForward!.from.packId)).toBe(true);
    expect(carried.length + pack.manifest.carryForward!.needsRenewal.filter((n) => n.kind === 'attestation').length).toBe((await records(await openPack(demo), 'attestations')).length);
  }, CHILD_TIMEOUT_MS);
});

describe('an earlier pack that does not hold', () => {
  it('refuses a changed attachment, naming it, before any AWS call, and writes nothing', async () => {
    const tampered = path.join(tmp(), 'q3-tampered');
    cpSync(earlierDir, tampered, { recursive: true });
    writeFileSync(path.join(tampered, 'attachments', sha256(REGISTER)), 'name,completed\nSam,2026-08-02\n');
    const out = path.join(tmp(), 'from-tampered');
    const callsBefore = aws.calls.length;
    const r = await runCli(collectArgs(out, '--carry-forward', tampered), env, tmp());
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^auditpack: --carry-forward: .*q3-tampered: evidence does not match its manifest: attachments/${sha256(REGISTER)} \\(changed\\)`));
    expect(aws.calls.length).toBe(callsBefore);
    expect(existsSync(out)).toBe(false);
  }, CHILD_TIMEOUT_MS);

  it('refuses a missing attachment, naming it', async () => {
    const gone = path.join(tmp(), 'q3-missing');
    cpSync(earlierDir, gone, { recursive: true });
    rmSync(path.join(gone, 'attachments', sha256(REGISTER)));
    const out = path.join(tmp(), 'from-missing');
    const r = await runCli(collectArgs(out, '--carry-forward', gone), env, tmp());
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`attachments/${sha256(REGISTER)} (missing`)]);
    expect(existsSync(out)).toBe(false);
  }, CHILD_TIMEOUT_MS);
});

describe('planCarry', () => {
  const record = (id: string, validUntil: string) => ({ kind: 'attestation' as const, record: { id, controlIds: ['ism-0252'], statement: 's', attester: 'a', attestedOn: '2026-01-01', validUntil, attachments: [] } });
  const earlier: EarlierPack = {
    dir: 'q3',
    manifest: {} as EarlierPack['manifest'],
    from: { packId: 'p', period: '2026-Q3', manifestSha256: 'a'.repeat(64) },
    records: [record('ON-THE-DAY', '2026-12-02'), record('DAY-BEFORE', '2026-12-01'), record('GIVEN', '2020-01-01')],
  };

  it('judges at the UTC day of the completion time, a record valid through that day being carried', () => {
    const plan = planCarry(earlier, '2026-12-02T23:59:59.999Z', new Set(['GIVEN']));
    expect(plan.summary.judgedAt).toBe('2026-12-02');
    expect(plan.carried.map((r) => r.record.id)).toEqual(['ON-THE-DAY']);
    expect(plan.summary.needsRenewal.map((r) => r.id)).toEqual(['DAY-BEFORE']);
    // Given again, an expired record is renewed, not listed for renewal.
    expect(plan.summary.replaced).toEqual(['GIVEN']);
  });
});
