import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import type { EvidenceKind, EvidenceRecord } from '../src/evidence/kinds';
import type { CollectionGap } from '../src/evidence/manifest';
import type { ConformancePack } from '../src/evidence/records';
import { awsEnv, BIN, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, FAKE_REGIONS, reportFile, ruleCompliance, sampleEstate, startEstateAws, type FakeAws, type FakeEstate, type RecordedCall } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * collect end to end: the compiled CLI against a local fake of AWS Config, STS and Artifact
 * that speaks their wire protocols, so that the real SDK serialises, signs, retries and pages.
 */
const tmp = useTempDir('auditpack-collect-');
const policyActions = (file: string) => new Set((JSON.parse(readFileSync(path.join(__dirname, '..', 'docs', file), 'utf8')) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action));
/** The policy every collect needs, and the one only --artifact-download adds. */
const BASE_ACTIONS = policyActions('iam-policy.json');
const DOWNLOAD_ACTIONS = policyActions('iam-policy-artifact-download.json');
const POLICY_ACTIONS = new Set([...BASE_ACTIONS, ...DOWNLOAD_ACTIONS]);
/** Every request any scenario sent, for the least-privilege check at the end; and those of runs without --artifact-download. */
const allCalls: RecordedCall[] = [];
const callsWithoutDownload: RecordedCall[] = [];

let estate: FakeEstate;
beforeAll(async () => {
  estate = await sampleEstate(tmp());
});

async function records<K extends EvidenceKind>(pack: EvidencePack, kind: K): Promise<EvidenceRecord<K>[]> {
  const out: EvidenceRecord<K>[] = [];
  for await (const r of pack.records(kind)) out.push(r);
  return out;
}

/** Order-free comparison that still counts duplicates. */
const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();

const expectedPacks = (locations: FakeEstate['locations']): ConformancePack[] =>
  locations.flatMap((l) =>
    [...new Set(l.rules.map((r) => r.conformancePack!))].map((name) => ({
      accountId: l.accountId,
      region: l.region,
      name,
      complianceType: ruleCompliance(l.evaluations.filter((e) => l.rules.find((r) => r.ruleName === e.ruleName)?.conformancePack === name)),
    })),
  );

function writeAttestations(dir: string): void {
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeFileSync(path.join(dir, 'files', 'training-register.csv'), 'name,completed\nSam,2026-08-01\n');
  writeFileSync(
    path.join(dir, 'ATT-2026-001.yaml'),
    [
      'kind: attestation',
      'id: ATT-2026-001',
      'controlIds: [ism-0252, ism-1565]',
      'statement: Cyber security awareness training for 2026 is recorded in the attached register.',
      'attester: Sam Taylor, Security Awareness Lead',
      'attestedOn: 2026-08-29',
      'validUntil: 2027-08-31',
      'attachments:',
      '  - path: files/training-register.csv',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'RA-2026-014.yml'),
    [
      'kind: risk-acceptance',
      'id: RA-2026-014',
      'controlIds: [ism-0974]',
      'owner: Chris Nguyen, Chief Finance Officer',
      'rationale: The vendor tool cannot complete an MFA challenge; its user is limited to one S3 prefix.',
      'approvedBy: Alex Citizen, CISO',
      'approvedOn: 2026-06-30',
      'expiresOn: 2027-03-31',
      '',
    ].join('\n'),
  );
}

function expectSignedForTheRightScope(aws: FakeAws): void {
  expect(aws.rejected).toEqual([]);
  for (const call of aws.calls) {
    if (call.service === 'config') expect(FAKE_REGIONS).toContain(call.region);
    if (call.service === 'artifact') expect(call.region).toBe('us-east-1');
  }
}

describe('collect from accounts: a caller, an assumed role, two Regions, with faults', () => {
  let aws: FakeAws;
  let result: CliResult;
  let pack: EvidencePack;
  let caller: string;
  let other: string;
  /** An account whose role the caller may not assume. */
  const unreachable = '999999999999';
  const unreachableRole = `arn:aws:iam::${unreachable}:role/auditpack-collect`;
  const out = () => path.join(tmp(), 'accounts', 'pack');
  const evaluationRequests: unknown[] = [];
  const denied = () => ({ accountId: caller, region: 'ap-southeast-4' });

  beforeAll(async () => {
    [caller, other] = estate.accounts;
    const throttledRule = estate.locations.find((l) => l.accountId === other && l.region === 'ap-southeast-2')!.rules[0].ruleName;
    aws = await startEstateAws(estate, {
      deniedRoles: [unreachableRole],
      faults: (call) => {
        if (call.operation === 'GetComplianceDetailsByConfigRule') evaluationRequests.push(JSON.parse(call.body));
        // Access denied to everything in one Region of the caller's account.
        if (call.service === 'config' && call.accountId === caller && call.region === 'ap-southeast-4') return { status: 400, code: 'AccessDeniedException', message: 'User is not authorized to perform this action' };
        // A burst of throttling on a later page of one rule, then success.
        if (call.operation === 'GetComplianceDetailsByConfigRule' && call.body.includes(`"${throttledRule}"`) && call.body.includes('"NextToken":"page-3"') && call.attempt <= 2) {
          return { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
        }
        // One internal error, then success.
        if (call.operation === 'DescribeConfigRules' && call.accountId === caller && !call.body.includes('NextToken') && call.attempt === 1) return { status: 500, code: 'InternalFailure', message: 'internal error' };
        if (call.operation === 'ListReports' && !call.url.search.includes('nextToken') && call.attempt === 1) return { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' };
        return undefined;
      },
    });
    const attestations = path.join(tmp(), 'accounts', 'attestations');
    writeAttestations(attestations);
    const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: aws.url });
    result = await runCli(
      ['collect', '--out', out(), '--period', '2026-Q4', '--role-arn', `arn:aws:iam::${other}:role/auditpack-collect`, '--role-arn', unreachableRole, '--attestations', attestations, '--artifact-download', '--concurrency', '2', '--collect-mode', 'per-rule'],
      env,
      tmp(),
    );
    allCalls.push(...aws.calls);
    pack = await openPack(out());
  });
  afterAll(() => aws.close());

  it('writes the pack, lists the gaps and exits 3', () => {
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`Evidence pack written to ${out()}`);
    expect(result.stdout).toMatch(/evaluations \d+/);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/^auditpack: .*written with 8 gap\(s\)/);
    expect(result.stderr).toMatch(/^config \d{12} ap-southeast-2: 5 rules, \d+ evaluations, \d+ resources$/m);
  });

  it('holds every evaluation of every collected rule exactly once, and the other Config evidence', async () => {
    const collected = estate.locations.filter((l) => !(l.accountId === denied().accountId && l.region === denied().region));
    expect(sorted(await records(pack, 'evaluations'))).toEqual(sorted(collected.flatMap((l) => l.evaluations)));
    expect(sorted(await records(pack, 'configRules'))).toEqual(sorted(collected.flatMap((l) => l.rules)));
    expect(sorted(await records(pack, 'recorderStatus'))).toEqual(sorted(collected.map((l) => l.recorder)));
    expect(sorted(await records(pack, 'resources'))).toEqual(sorted(collected.flatMap((l) => l.resources)));
    expect(sorted(await records(pack, 'conformancePacks'))).toEqual(sorted(expectedPacks(collected)));
  });

  it('asks for every result type an evaluation can have, at the largest page size', () => {
    expect(evaluationRequests.length).toBeGreaterThan(0);
    for (const request of evaluationRequests) expect(request).toMatchObject({ ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], Limit: 100 });
  });

  it('records what it could not read, where and why, and nothing for what was retried', () => {
    const role = pack.manifest.gaps.find((g) => g.collector === 'scope')!;
    const gaps = pack.manifest.gaps.filter((g) => g !== role);
    expect(role).toMatchObject({ collector: 'scope', service: 'sts', operation: 'AssumeRole', accountId: unreachable, region: null, errorCode: 'AccessDenied' });
    expect(role.message).toContain(unreachableRole);
    expect(gaps.map((g: CollectionGap) => g.operation).sort()).toEqual(
      [
        'DescribeConfigRules',
        'DescribeConfigurationRecorderStatus',
        'DescribeConfigurationRecorders',
        'DescribeConformancePacks',
        'DescribeDeliveryChannelStatus',
        'DescribeDeliveryChannels',
        'SelectResourceConfig',
      ].sort(),
    );
    for (const gap of gaps) {
      expect(gap).toMatchObject({ collector: 'config', service: 'config', ...denied(), errorCode: 'AccessDeniedException' });
      expect(gap.message).toContain('not authorized');
    }
  });

  it('counts API calls, retries and throttles per service in the manifest', () => {
    const calls = pack.manifest.apiCalls!;
    const of = (service: string, operation: string) => calls.find((c) => c.service === service && c.operation === operation)!;
    const evaluations = of('config', 'GetComplianceDetailsByConfigRule');
    expect(evaluations).toMatchObject({ throttles: 2, retries: 2 });
    expect(of('config', 'DescribeConfigRules').retries).toBe(1);
    expect(of('artifact', 'ListReports')).toMatchObject({ retries: 1, throttles: 1 });
    expect(of('sts', 'AssumeRole').calls).toBe(2);
    // The ledger counts what the fake received, request for request.
    const total = calls.reduce((n, c) => n + c.calls, 0);
    const downloads = calls.filter((c) => c.service === 's3').reduce((n, c) => n + c.calls, 0);
    expect(total - downloads).toBe(aws.calls.length);
  });

  it('signs every request with SigV4 for its service and Region, with the role\'s keys in the role\'s account', () => {
    expectSignedForTheRightScope(aws);
    const configCalls = aws.calls.filter((c) => c.service === 'config');
    expect(new Set(configCalls.map((c) => `${c.accountId} ${c.region}`))).toEqual(new Set([caller, other].flatMap((a) => FAKE_REGIONS.map((r) => `${a} ${r}`))));
    for (const c of configCalls.filter((x) => x.accountId === other)) expect(c.accessKeyId).toBe(`ASIA${other}`);
    // Each role is assumed once, however many clients use its credentials.
    expect(aws.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(2);
  });

  it('downloads each Artifact report into the pack, referenced by its hash, and lists the agreements', async () => {
    const reports = await records(pack, 'artifactReports');
    expect(reports.map((r) => r.id).sort()).toEqual(estate.reports.map((r) => r.id).sort());
    for (const report of reports) {
      const file = reportFile(report.id);
      expect(report.attachment).toEqual({ sha256: createHash('sha256').update(file).digest('hex'), bytes: file.length });
      expect(readFileSync(path.join(out(), 'attachments', report.attachment!.sha256))).toEqual(file);
      expect({ ...report, attachment: null }).toEqual(estate.reports.find((r) => r.id === report.id));
    }
    expect(aws.calls.filter((c) => c.operation === 'GetReportMetadata')).toHaveLength(1);
    expect(sorted(await records(pack, 'artifactAgreements'))).toEqual(sorted([...estate.agreements]));
  });

  it('adds the attestations and risk acceptances with their attachments', async () => {
    const [attestation] = await records(pack, 'attestations');
    expect(attestation).toMatchObject({ id: 'ATT-2026-001', controlIds: ['ism-0252', 'ism-1565'], attestedOn: '2026-08-29', validUntil: '2027-08-31' });
    expect(attestation.attachments).toEqual([expect.objectContaining({ name: 'training-register.csv', mediaType: 'text/csv' })]);
    expect(await records(pack, 'exceptions')).toEqual([expect.objectContaining({ id: 'RA-2026-014', expiresOn: '2027-03-31', attachments: [] })]);
    expect(pack.manifest.collectors.map((c) => c.name)).toEqual(['config', 'artifact', 'manual']);
    // The account whose role was refused stays in scope, without evidence.
    expect(pack.manifest.scope).toEqual({ accounts: [caller, other, unreachable].map((accountId) => ({ accountId, name: null })), regions: FAKE_REGIONS });
  });

  it('passes verify, and leaves no staging directory', async () => {
    const verify = await runCli(['verify', out()], awsEnv({}), tmp());
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('OK') });
    expect(readdirSync(path.dirname(out())).filter((n) => n.includes('.partial-'))).toEqual([]);
  });
});

describe('collect through an aggregator', () => {
  let aws: FakeAws;
  let result: CliResult;
  let pack: EvidencePack;
  const out = () => path.join(tmp(), 'aggregator', 'pack');

  beforeAll(async () => {
    const [home, other] = estate.accounts;
    const throttledRule = estate.locations[0].rules[0].ruleName;
    aws = await startEstateAws(estate, {
      aggregator: {
        name: 'org-aggregator',
        accountId: home,
        region: 'ap-southeast-2',
        sources: [
          { accountId: home, region: 'ap-southeast-2', status: 'SUCCEEDED' },
          { accountId: home, region: 'ap-southeast-4', status: 'SUCCEEDED' },
          { accountId: other, region: 'ap-southeast-2', status: 'SUCCEEDED' },
          { accountId: other, region: 'ap-southeast-4', status: 'FAILED' },
        ],
      },
      // A throttle on a later page of one rule, then success.
      faults: (call) =>
        call.operation === 'GetAggregateComplianceDetailsByConfigRule' && call.body.includes(`"${throttledRule}"`) && call.body.includes('"NextToken":"page-3"') && call.attempt === 1
          ? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }
          : undefined,
    });
    const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey });
    result = await runCli(
      ['collect', '--out', out(), '--aggregator', 'org-aggregator', '--aggregator-region', 'ap-southeast-2', '--regions', FAKE_REGIONS.join(','), '--endpoint-url', aws.url, '--quiet', '--collect-mode', 'per-rule'],
      env,
      tmp(),
    );
    allCalls.push(...aws.calls);
    callsWithoutDownload.push(...aws.calls);
    pack = await openPack(out());
  });
  afterAll(() => aws.close());

  it('collects every account and Region from the aggregator\'s account alone', async () => {
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^auditpack: .*written with 1 gap\(s\)/)]);
    expect(result.code).toBe(3);
    const home = estate.accounts[0];
    expect(new Set(aws.calls.filter((c) => c.service === 'config').map((c) => `${c.accountId} ${c.region}`))).toEqual(new Set([`${home} ap-southeast-2`]));
    expect(sorted(await records(pack, 'evaluations'))).toEqual(sorted(estate.locations.flatMap((l) => l.evaluations)));
    expect(sorted(await records(pack, 'resources'))).toEqual(sorted(estate.locations.flatMap((l) => l.resources)));
    expect(sorted(await records(pack, 'conformancePacks'))).toEqual(sorted(expectedPacks(estate.locations)));
    expect(pack.manifest.scope).toEqual({ accounts: [...estate.accounts].sort().map((accountId) => ({ accountId, name: null })), regions: FAKE_REGIONS });
    expect(pack.manifest.collectors.map((c) => c.name)).toEqual(['config-aggregator', 'artifact']);
  });

  it('ties each rule to its managed rule identifier, though the aggregator only names it', async () => {
    const rules = await records(pack, 'configRules');
    const expected = estate.locations.flatMap((l) => l.rules).map((r) => ({ ...r, ruleArn: null, conformancePack: null, inputParameters: {} }));
    expect(sorted(rules)).toEqual(sorted(expected));
  });

  it('records each source\'s aggregation status, and a failed source as a gap', async () => {
    const [home, other] = estate.accounts;
    const statuses = await records(pack, 'recorderStatus');
    expect(statuses.map((s) => `${s.accountId} ${s.region} ${s.recording}`).sort()).toEqual(
      [`${home} ap-southeast-2 true`, `${home} ap-southeast-4 true`, `${other} ap-southeast-2 true`, `${other} ap-southeast-4 false`].sort(),
    );
    expect(pack.manifest.gaps).toEqual([
      expect.objectContaining({ collector: 'config-aggregator', operation: 'DescribeConfigurationAggregatorSourcesStatus', accountId: other, region: 'ap-southeast-4', errorCode: 'AccessDenied' }),
    ]);
    expect(pack.manifest.apiCalls!.find((c) => c.operation === 'GetAggregateComplianceDetailsByConfigRule')).toMatchObject({ retries: 1, throttles: 1 });
  });

  it('signs for the aggregator\'s Region and passes verify', async () => {
    expectSignedForTheRightScope(aws);
    expect((await runCli(['verify', out()], awsEnv({}), tmp())).code).toBe(0);
  });

  it('refuses an aggregator that does not exist, writing nothing', async () => {
    const missing = path.join(tmp(), 'aggregator', 'missing');
    const r = await runCli(
      ['collect', '--out', missing, '--aggregator', 'no-such', '--aggregator-region', 'ap-southeast-2', '--endpoint-url', aws.url, '--quiet'],
      awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey }),
      tmp(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^auditpack: --aggregator: no aggregator "no-such" in \d{12} ap-southeast-2$/);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(path.dirname(missing)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });
});

describe('Ctrl-C during collection', () => {
  it('leaves neither a pack nor a staging directory', async () => {
    // An endpoint that accepts connections and never answers: collection waits on it.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const parent = path.join(tmp(), 'interrupted');
    mkdirSync(parent);
    const out = path.join(parent, 'pack');
    const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey, AWS_ENDPOINT_URL: url });
    const child = spawn(process.execPath, [BIN, 'collect', '--out', out, '--quiet'], { env, stdio: 'ignore' });
    let ended = false;
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal))).finally(() => (ended = true));
    // Interrupt once the pack is being written (its staging directory exists), however long a busy machine takes to get there.
    const staging = () => readdirSync(parent).some((n) => n.includes('.partial-'));
    while (!ended && !staging()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(staging()).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(parent)).toEqual([]);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
});

describe('least privilege: docs/iam-policy.json, and docs/iam-policy-artifact-download.json for --artifact-download', () => {
  const action = (c: RecordedCall) => `${c.service}:${c.operation}`;

  it('allows every action collect sent', () => {
    expect(allCalls.length).toBeGreaterThan(0);
    expect([...new Set(allCalls.map(action))].filter((a) => !POLICY_ACTIONS.has(a))).toEqual([]);
  });

  it('allows nothing collect does not send, and no wildcards', () => {
    const sent = new Set(allCalls.map(action));
    expect([...POLICY_ACTIONS].filter((a) => !sent.has(a))).toEqual([]);
    expect([...POLICY_ACTIONS].filter((a) => a.includes('*'))).toEqual([]);
  });

  it('keeps the download actions out of the default policy: a run without --artifact-download needs only it', () => {
    expect(callsWithoutDownload.length).toBeGreaterThan(0);
    expect([...new Set(callsWithoutDownload.map(action))].filter((a) => !BASE_ACTIONS.has(a))).toEqual([]);
    expect([...DOWNLOAD_ACTIONS].sort()).toEqual(['artifact:GetReport', 'artifact:GetTermForReport']);
    expect([...DOWNLOAD_ACTIONS].filter((a) => BASE_ACTIONS.has(a))).toEqual([]);
  });
});
