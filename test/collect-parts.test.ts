import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { ApiCallLedger } from '../src/collect/api-calls';
import { artifactApi } from '../src/collect/artifact-api';
import { ArtifactRestClient } from '../src/collect/artifact-client';
import { configClient } from '../src/collect/clients';
import { artifactEndpoint } from '../src/collect/endpoints';
import { toGap, type Where } from '../src/collect/gaps';
import { forEachLimited, Limiter } from '../src/collect/limits';
import { MalformedResponseError } from '../src/collect/malformed';
import { allPages } from '../src/collect/paging';
import { managedRuleIdentifier } from '../src/collect/rule-identifiers';
import { CALLER_KEYS, sampleEstate, startEstateAws, type FakeAws } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

// @aws-sdk/client-artifact is optional and absent here: a stand-in shows that collect uses it when present.
const mockSent: { command: string; input: object }[] = [];
jest.mock(
  '@aws-sdk/client-artifact',
  () => {
    const command = (name: string) =>
      class {
        readonly name = name;
        constructor(readonly input: object) {}
      };
    return {
      ArtifactClient: class {
        middlewareStack = { use: () => undefined };
        constructor(readonly config: object) {}
        async send(c: { name: string; input: object }) {
          mockSent.push({ command: c.name, input: c.input });
          return { reports: [{ id: 'report-abcdefABCDEF0123', version: 2, periodStart: new Date('2026-04-01T00:00:00Z') }], nextToken: 'next' };
        }
        destroy() {}
      },
      ListReportsCommand: command('ListReports'),
      GetReportMetadataCommand: command('GetReportMetadata'),
      GetTermForReportCommand: command('GetTermForReport'),
      GetReportCommand: command('GetReport'),
      ListCustomerAgreementsCommand: command('ListCustomerAgreements'),
    };
  },
  { virtual: true },
);

const tmp = useTempDir('auditpack-collect-parts-');
const staticCredentials = async () => ({ accessKeyId: CALLER_KEYS.accessKeyId, secretAccessKey: CALLER_KEYS.secretAccessKey });

describe('Limiter', () => {
  it('never lets more than its concurrency run, and runs everything in order of arrival', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 10 }, () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      return { gate, open };
    });
    const runs = gates.map(({ gate }, i) =>
      limiter.run(async () => {
        started.push(i);
        most = Math.max(most, ++active);
        await gate;
        active--;
        return i;
      }),
    );
    // Open the gates one by one, each after the previous task had its turn to start.
    for (const { open } of gates) {
      await new Promise((resolve) => setImmediate(resolve));
      open();
    }
    expect(await Promise.all(runs)).toEqual(gates.map((_, i) => i));
    expect(most).toBe(3);
    expect(started).toEqual(gates.map((_, i) => i));
  });

  it('forEachLimited holds at most `concurrency` items in progress, and releases a slot on failure', async () => {
    let active = 0;
    let most = 0;
    await forEachLimited([...Array(20).keys()], 4, async () => {
      most = Math.max(most, ++active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
    });
    expect(most).toBe(4);
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('gaps', () => {
  const where: Where = { collector: 'config', service: 'config', operation: 'GetComplianceDetailsByConfigRule', accountId: '111122223333', region: 'ap-southeast-2' };
  const awsError = (name: string, message: string, $metadata: object) => Object.assign(new Error(message), { name, $metadata });

  it('names the error and explains it', () => {
    expect(toGap(where, awsError('AccessDeniedException', 'not authorized', { httpStatusCode: 400, attempts: 1 }), 'rule r1')).toEqual({
      ...where,
      errorCode: 'AccessDeniedException',
      message: 'rule r1: not authorized',
    });
    expect(toGap(where, awsError('ThrottlingException', 'Rate exceeded', { httpStatusCode: 400, attempts: 10 }))?.message).toBe('throttled after 10 attempts; retries exhausted: Rate exceeded');
    expect(toGap(where, awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', { httpStatusCode: 400 }))?.message).toMatch(/^the Region is not enabled/);
    expect(toGap(where, awsError('InternalFailure', 'oops', { httpStatusCode: 503, attempts: 10 }))?.message).toBe('server error (HTTP 503) after 10 attempts: oops');
    expect(toGap(where, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ errorCode: 'ECONNREFUSED' });
    expect(toGap(where, new MalformedResponseError('no NextToken'))).toMatchObject({ errorCode: 'MalformedResponse', message: 'malformed response: no NextToken' });
  });

  it('is no place for a bug: errors that did not come from AWS are not gaps', () => {
    expect(toGap(where, new TypeError('cannot read properties of undefined'))).toBeNull();
  });
});

describe('paging', () => {
  it('reads every page, and refuses a token that comes back', async () => {
    const book = [[1, 2], [3], [4, 5]];
    expect(await allPages(async (token) => ({ items: book[Number(token ?? 0)], nextToken: Number(token ?? 0) < 2 ? String(Number(token ?? 0) + 1) : undefined }))).toEqual([1, 2, 3, 4, 5]);
    await expect(allPages(async () => ({ items: [1], nextToken: 'again' }))).rejects.toThrow(MalformedResponseError);
  });
});

describe('managed rule identifiers of rules named by an aggregator', () => {
  it('reads conformance pack rule names, and does not guess others', () => {
    expect(managedRuleIdentifier('cloudtrail-enabled-conformance-pack-ghe5lllrv')).toBe('CLOUD_TRAIL_ENABLED');
    expect(managedRuleIdentifier('s3-bucket-versioning-enabled')).toBe('S3_BUCKET_VERSIONING_ENABLED');
    expect(managedRuleIdentifier('my-custom-tagging-rule')).toBeNull();
  });
});

describe('endpoints', () => {
  it('Artifact: --endpoint-url, then AWS_ENDPOINT_URL_ARTIFACT, then AWS_ENDPOINT_URL, then AWS\'s', () => {
    const env = { AWS_ENDPOINT_URL_ARTIFACT: 'http://artifact.local:1', AWS_ENDPOINT_URL: 'http://all.local:2' };
    expect(artifactEndpoint('http://option.local:3', env).host).toBe('option.local:3');
    expect(artifactEndpoint(undefined, env).host).toBe('artifact.local:1');
    expect(artifactEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://all.local:2' }).host).toBe('all.local:2');
    expect(artifactEndpoint(undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).href).toBe('https://artifact.us-east-1.amazonaws.com/');
    expect(artifactEndpoint(undefined, {}).href).toBe('https://artifact.us-east-1.amazonaws.com/');
  });

  describe('against the fake AWS', () => {
    let aws: FakeAws;
    const saved = { ...process.env };
    beforeAll(async () => {
      aws = await startEstateAws(await sampleEstate(tmp()));
    });
    afterAll(() => aws.close());
    afterEach(() => {
      for (const k of Object.keys(process.env)) if (k.startsWith('AWS_ENDPOINT_URL')) delete process.env[k];
      Object.assign(process.env, saved);
    });

    it('the SDK itself prefers AWS_ENDPOINT_URL_CONFIG_SERVICE to AWS_ENDPOINT_URL', async () => {
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
      process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE = aws.url;
      const ledger = new ApiCallLedger();
      const client = configClient({ maxAttempts: 1, requestTimeoutMs: 60_000, ledger }, 'ap-southeast-2', staticCredentials);
      const out = await client.send(new DescribeConfigRulesCommand({}));
      client.destroy();
      expect(out.ConfigRules?.length).toBeGreaterThan(0);
      expect(aws.calls.at(-1)).toMatchObject({ service: 'config', operation: 'DescribeConfigRules', region: 'ap-southeast-2' });
      expect(ledger.entries()).toEqual([{ service: 'config', operation: 'DescribeConfigRules', calls: 1, retries: 0, throttles: 0 }]);
    });

    it('the Artifact fallback client signs for artifact in us-east-1 and reads the error code of a refusal', async () => {
      const ledger = new ApiCallLedger();
      const client = new ArtifactRestClient(new URL(aws.url), staticCredentials, 3, ledger, 60_000);
      const { items } = await client.listReports(undefined);
      expect(items.length).toBeGreaterThan(0);
      expect(aws.calls.at(-1)).toMatchObject({ service: 'artifact', operation: 'ListReports', region: 'us-east-1' });
      const refusal = await client.getReportMetadata('report-0000000000000000', 1).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404, attempts: 1 } });
      client.destroy();
      expect(aws.rejected).toEqual([]);
    });
  });
});

describe('the Artifact SDK client, when @aws-sdk/client-artifact is installed', () => {
  it('is used instead of the fallback, with timestamps in wire form', async () => {
    const api = artifactApi({ maxAttempts: 2, requestTimeoutMs: 60_000, ledger: new ApiCallLedger() }, staticCredentials);
    expect(api).not.toBeInstanceOf(ArtifactRestClient);
    expect(await api.listReports(undefined)).toEqual({ items: [{ id: 'report-abcdefABCDEF0123', version: 2, periodStart: '2026-04-01T00:00:00.000Z' }], nextToken: 'next' });
    expect(mockSent).toEqual([{ command: 'ListReports', input: { maxResults: 300, nextToken: undefined } }]);
    api.destroy();
  });
});
