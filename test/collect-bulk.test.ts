import { ConfigServiceClient, SelectAggregateResourceConfigCommand, SelectResourceConfigCommand } from '@aws-sdk/client-config-service';
import path from 'node:path';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import type { Evaluation } from '../src/evidence/records';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, FAKE_REGIONS, sampleEstate, startEstateAws, type FakeAws, type FakeEstate } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * --collect-mode: evaluations read in bulk from Config's ResourceCompliance items are the same
 * evaluations the per-rule path reads, per account and through an aggregator, and auto falls
 * back to the per-rule path for a location whose recorder leaves that type out.
 */
const tmp = useTempDir('auditpack-bulk-');
const AGGREGATOR = 'org-aggregator';
const HOME_REGION = 'ap-southeast-2';
const PROCESS_CHECK = 'response-plan-exists-maintained-conformance-pack-q1w2e3';
const PLAN_MISSING = 'No incident response plan has been reviewed since 2025-03.';

/** The sample's small estate, with a failing process check and a failing managed-rule result in each account's Sydney location. */
function withProcessChecks(estate: FakeEstate): FakeEstate {
  const locations = estate.locations.map((l) => {
    if (l.region !== HOME_REGION) return l;
    const rule = { ...l.rules[0], ruleName: PROCESS_CHECK, ruleArn: `${l.rules[0].ruleArn ?? 'arn'}-pc`, sourceIdentifier: 'AWS_CONFIG_PROCESS_CHECK', inputParameters: {} };
    const result: Evaluation = {
      accountId: l.accountId,
      region: l.region,
      ruleName: PROCESS_CHECK,
      resourceType: 'AWS::::Account',
      resourceId: l.accountId,
      complianceType: 'NON_COMPLIANT',
      annotation: PLAN_MISSING,
      resultRecordedTime: '2026-11-02T01:00:00.000Z',
      configRuleInvokedTime: '2026-11-02T00:59:00.000Z',
    };
    // The sample estate is mostly compliant: one failing managed-rule result makes sure there is an annotation to lose.
    const [firstResult, ...rest] = l.evaluations;
    const failing: Evaluation = { ...firstResult, complianceType: 'NON_COMPLIANT', annotation: 'Made to fail by this test' };
    return { ...l, rules: [...l.rules, rule], evaluations: [failing, ...rest, result] };
  });
  return { ...estate, locations };
}

const GLOBAL_TYPE = /^AWS::(IAM::|::Account$)/;

/** A distinct result: rule, account, resource (and Region for a regional type), with its outcome. */
const distinct = (evaluations: Evaluation[]) =>
  new Set(evaluations.map((e) => [e.ruleName, e.accountId, GLOBAL_TYPE.test(e.resourceType) ? '' : e.region, e.resourceType, e.resourceId, e.complianceType].join(' | ')));

async function evaluationsOf(pack: EvidencePack): Promise<Evaluation[]> {
  const out: Evaluation[] = [];
  for await (const e of pack.records('evaluations')) out.push(e);
  return out;
}

interface Collected {
  result: CliResult;
  pack: EvidencePack;
  evaluations: Evaluation[];
}

function fakeFor(estate: FakeEstate): Promise<FakeAws> {
  const [home] = estate.accounts;
  const sources = estate.locations.map((l) => ({ accountId: l.accountId, region: l.region, status: 'SUCCEEDED' as const }));
  return startEstateAws(estate, { aggregator: { name: AGGREGATOR, accountId: home, region: HOME_REGION, sources } });
}

async function collectWith(aws: FakeAws, estate: FakeEstate, name: string, how: 'accounts' | 'aggregator', mode: string): Promise<Collected> {
  const out = path.join(tmp(), name);
  const scope =
    how === 'aggregator'
      ? ['--aggregator', AGGREGATOR, '--aggregator-region', HOME_REGION]
      : estate.accounts.slice(1).flatMap((a) => ['--role-arn', `arn:aws:iam::${a}:role/auditpack-collect`]);
  const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey });
  const result = await runCli(['collect', '--out', out, '--regions', FAKE_REGIONS.join(','), '--endpoint-url', aws.url, '--quiet', '--collect-mode', mode, ...scope], env, tmp());
  if (result.code !== 0 && result.code !== 3) throw new Error(`collect ${name} exited ${result.code}: ${result.stderr}`);
  const pack = await openPack(out);
  return { result, pack, evaluations: await evaluationsOf(pack) };
}

const callsTo = (c: Collected, operation: string) => c.pack.manifest.apiCalls?.find((a) => a.operation === operation)?.calls ?? 0;

let estate: FakeEstate;
beforeAll(async () => {
  estate = withProcessChecks(await sampleEstate(tmp()));
});

describe.each(['accounts', 'aggregator'] as const)('collect %s: bulk and per rule', (how) => {
  let aws: FakeAws;
  let perRule: Collected;
  let bulk: Collected;
  const perRuleOperation = how === 'aggregator' ? 'GetAggregateComplianceDetailsByConfigRule' : 'GetComplianceDetailsByConfigRule';

  beforeAll(async () => {
    aws = await fakeFor(estate);
    perRule = await collectWith(aws, estate, `${how}-per-rule`, how, 'per-rule');
    bulk = await collectWith(aws, estate, `${how}-bulk`, how, 'bulk');
  });
  afterAll(() => aws.close());

  it('writes the same distinct evaluations by both paths', () => {
    expect(perRule.evaluations.length).toBe(estate.locations.reduce((n, l) => n + l.evaluations.length, 0));
    expect(bulk.evaluations.length).toBe(perRule.evaluations.length);
    expect(distinct(bulk.evaluations)).toEqual(distinct(perRule.evaluations));
  });

  it('reads the results in bulk, and per rule only the process checks\' annotations', () => {
    const processChecks = estate.locations.filter((l) => l.rules.some((r) => r.ruleName === PROCESS_CHECK)).length;
    expect(callsTo(bulk, perRuleOperation)).toBe(processChecks);
    expect(callsTo(perRule, perRuleOperation)).toBeGreaterThan(10 * processChecks);
    const annotated = bulk.evaluations.filter((e) => e.annotation !== null);
    expect(annotated.map((e) => [e.ruleName, e.annotation])).toEqual(Array.from({ length: processChecks }, () => [PROCESS_CHECK, PLAN_MISSING]));
    // The per-rule path keeps every annotation; the bulk path has none for other rules.
    expect(perRule.evaluations.filter((e) => e.annotation !== null && e.ruleName !== PROCESS_CHECK).length).toBeGreaterThan(0);
  });

  it('records the path of every location in the manifest, and both packs pass verify', async () => {
    const located = new Set(estate.locations.filter((l) => l.rules.length).map((l) => `${l.accountId} ${l.region}`));
    const paths = (c: Collected) => c.pack.manifest.evaluationPaths?.map((p) => `${p.accountId} ${p.region} ${p.path}`);
    expect(paths(bulk)).toEqual([...located].sort().map((l) => `${l} bulk`));
    expect(paths(perRule)).toEqual([...located].sort().map((l) => `${l} per-rule`));
    expect(bulk.result.code).toBe(0);
    expect(bulk.result.stdout).toContain(`note: evaluations of ${located.size} account-Region(s) read in bulk from ResourceCompliance items`);
    expect(perRule.result.stdout).not.toContain('read in bulk');
  });
});

describe('a location whose recorder leaves out ResourceCompliance', () => {
  let aws: FakeAws;
  let unrecorded: FakeEstate['locations'][number];
  let reference: Evaluation[];

  beforeAll(async () => {
    unrecorded = estate.locations.find((l) => l.region !== HOME_REGION && l.evaluations.length)!;
    const partly = { ...estate, locations: estate.locations.map((l) => (l === unrecorded ? { ...l, recordsCompliance: false } : l)) };
    aws = await fakeFor(partly);
    reference = (await collectWith(aws, partly, 'partly-per-rule', 'accounts', 'per-rule')).evaluations;
  });
  afterAll(() => aws.close());

  it.each(['accounts', 'aggregator'] as const)('auto reads it per rule and the rest in bulk (%s)', async (how) => {
    const auto = await collectWith(aws, estate, `partly-auto-${how}`, how, 'auto');
    expect(auto.result.code).toBe(0);
    expect(distinct(auto.evaluations)).toEqual(distinct(reference));
    const pathOf = new Map(auto.pack.manifest.evaluationPaths!.map((p) => [`${p.accountId} ${p.region}`, p.path]));
    expect(pathOf.get(`${unrecorded.accountId} ${unrecorded.region}`)).toBe('per-rule');
    expect([...pathOf.values()].filter((p) => p === 'bulk')).toHaveLength(estate.locations.filter((l) => l.rules.length).length - 1);
  });

  it('bulk leaves a gap for it and still reads the others', async () => {
    const bulk = await collectWith(aws, estate, 'partly-bulk', 'accounts', 'bulk');
    expect(bulk.result.code).toBe(3);
    expect(bulk.pack.manifest.gaps).toEqual([
      expect.objectContaining({ operation: 'SelectResourceConfig', accountId: unrecorded.accountId, region: unrecorded.region, errorCode: 'ResourceComplianceNotRecorded' }),
    ]);
    const elsewhere = reference.filter((e) => e.accountId !== unrecorded.accountId || e.region !== unrecorded.region);
    expect(distinct(bulk.evaluations)).toEqual(distinct(elsewhere));
  });
});

describe('a location whose rules have no results yet', () => {
  it('is not mistaken for one that leaves out ResourceCompliance', async () => {
    const idle = estate.locations.find((l) => l.region !== HOME_REGION && l.evaluations.length)!;
    const quiet = { ...estate, locations: estate.locations.map((l) => (l === idle ? { ...l, evaluations: [] } : l)) };
    const aws = await fakeFor(quiet);
    try {
      const bulk = await collectWith(aws, quiet, 'quiet-bulk', 'accounts', 'bulk');
      expect(bulk.result.code).toBe(0);
      expect(bulk.pack.manifest.gaps).toEqual([]);
      expect(bulk.pack.manifest.evaluationPaths).toContainEqual({ accountId: idle.accountId, region: idle.region, path: 'bulk' });
      expect(callsTo(bulk, 'GetComplianceDetailsByConfigRule')).toBe(quiet.locations.filter((l) => l.rules.some((r) => r.ruleName === PROCESS_CHECK)).length);
    } finally {
      await aws.close();
    }
  });
});

describe('the fake\'s advanced query', () => {
  let aws: FakeAws;
  let client: ConfigServiceClient;
  beforeAll(async () => {
    aws = await fakeFor(estate);
    client = new ConfigServiceClient({ region: HOME_REGION, endpoint: aws.url, credentials: CALLER_KEYS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await aws.close();
  });

  it.each([
    'SELECT * WHERE resourceType = \'AWS::Config::ResourceCompliance\'',
    'SELECT configuration.configRuleList WHERE configuration.configRuleList.configRuleName = \'x\'',
    'SELECT accountId, awsRegion, resourceType, resourceId, resourceName, arn WHERE awsRegion IN (ap-southeast-2)',
  ])('refuses what collect does not send, as Config does: %s', async (Expression) => {
    await expect(client.send(new SelectResourceConfigCommand({ Expression }))).rejects.toMatchObject({ name: 'InvalidExpressionException', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: AGGREGATOR, Expression }))).rejects.toMatchObject({ name: 'InvalidExpressionException' });
  });
});

describe('--collect-mode on the command line', () => {
  it('refuses an unknown mode in one line, before any AWS call', async () => {
    const out = path.join(tmp(), 'bad-mode');
    const r = await runCli(['collect', '--out', out, '--collect-mode', 'fast', '--endpoint-url', 'http://127.0.0.1:9'], awsEnv({ AWS_ACCESS_KEY_ID: 'AKIA0', AWS_SECRET_ACCESS_KEY: 's' }), tmp());
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('auditpack: --collect-mode: "fast" is not one of auto, bulk, per-rule');
  });
});

describe('requests in flight, per account', () => {
  // Five accounts in the two Regions, every location with rules, and --concurrency 2: the
  // bound is 16 requests open, and the rules of ten locations could ask for 20.
  const ACCOUNTS = 5;
  const LOCATIONS = ACCOUNTS * FAKE_REGIONS.length;
  const BOUND = 8 * 2;
  let wide: FakeEstate;
  beforeAll(async () => {
    wide = await sampleEstate(tmp(), 5, ACCOUNTS);
  });

  /**
   * Holds each call of `operation` until `open` of them are open at once, then answers them all
   * and holds no more; if that never happens, a timer lets them go after `patience` ms.
   */
  function holdUntilOpen(operation: string, open: number, patience: number) {
    const held: (() => void)[] = [];
    let released = false;
    let reached = false;
    const release = () => {
      released = true;
      held.splice(0).forEach((go) => go());
    };
    const timer = setTimeout(release, patience);
    return {
      reached: () => reached,
      hold(call: { operation: string }) {
        if (released || call.operation !== operation) return undefined;
        const answered = new Promise<void>((go) => held.push(go));
        if (held.length === open) {
          reached = true;
          clearTimeout(timer);
          release();
        }
        return answered;
      },
      stop: () => clearTimeout(timer),
    };
  }

  async function collectHeld(mode: string, gate: ReturnType<typeof holdUntilOpen>) {
    const [home] = wide.accounts;
    const sources = wide.locations.map((l) => ({ accountId: l.accountId, region: l.region, status: 'SUCCEEDED' as const }));
    const aws = await startEstateAws(wide, { aggregator: { name: AGGREGATOR, accountId: home, region: HOME_REGION, sources }, hold: gate.hold });
    try {
      const env = awsEnv({ AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey });
      const roles = wide.accounts.slice(1).flatMap((a) => ['--role-arn', `arn:aws:iam::${a}:role/auditpack-collect`]);
      const args = ['collect', '--out', path.join(tmp(), `in-flight-${mode}`), '--regions', FAKE_REGIONS.join(','), '--endpoint-url', aws.url, '--quiet', '--collect-mode', mode, '--concurrency', '2', ...roles];
      const result = await runCli(args, env, tmp());
      expect([0, 3]).toContain(result.code);
      return aws.peakInFlight();
    } finally {
      gate.stop();
      await aws.close();
    }
  }

  it('bulk works on every location at once, not eight at a time', async () => {
    // Each location's first call is held until all ten are open together.
    const gate = holdUntilOpen('DescribeConfigurationRecorders', LOCATIONS, 30_000);
    const peak = await collectHeld('bulk', gate);
    expect(gate.reached()).toBe(true);
    expect(peak).toBeLessThanOrEqual(BOUND);
  });

  it('per rule, never more than 8 x --concurrency requests are open', async () => {
    // Rule requests are held until one more than the bound is open, which must never happen:
    // the timer then lets them go, and the peak stays at the bound.
    const gate = holdUntilOpen('GetComplianceDetailsByConfigRule', BOUND + 1, 3_000);
    const peak = await collectHeld('per-rule', gate);
    expect(gate.reached()).toBe(false);
    expect(peak).toBeLessThanOrEqual(BOUND);
  });
});
