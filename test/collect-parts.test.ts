import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApiCallLedger } from '../src/collect/api-calls';
import { artifactApi } from '../src/collect/artifact-api';
import { ArtifactRestClient } from '../src/collect/artifact-client';
import { configClient } from '../src/collect/clients';
import { LimitExceededError, limitedRead, MAX_EVALUATIONS_PER_RULE, MAX_PAGES } from '../src/collect/bounds';
import { checkedReportUrl, RefusedUrlError } from '../src/collect/download';
import { artifactEndpoint } from '../src/collect/endpoints';
import { collectRuleEvaluations } from '../src/collect/evaluations';
import { toGap, type Where } from '../src/collect/gaps';
import { forEachLimited, Limiter } from '../src/collect/limits';
import { MalformedResponseError } from '../src/collect/malformed';
import { allPages } from '../src/collect/paging';
import { createProgress } from '../src/collect/progress';
import { redactSecrets } from '../src/collect/redact';
import { managedRuleIdentifier } from '../src/collect/rule-identifiers';
import { CollectionRun } from '../src/collect/run';
import { Limits } from '../src/collect/limits';
import { PackWriter } from '../src/evidence/writer';
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

describe('bounds on what one source may hand out', () => {
  it('a listing that hands out new page tokens without end stops at MAX_PAGES', async () => {
    let asked = 0;
    const endless = allPages(async () => ({ items: [], nextToken: `token-${++asked}` }));
    await expect(endless).rejects.toThrow(new LimitExceededError(`more than ${MAX_PAGES} pages; the listing was not read to its end`));
    expect(asked).toBe(MAX_PAGES);
  });

  it('a rule with more results than collect holds in memory is a gap, and none of its results is written', async () => {
    const written: unknown[] = [];
    const writer = { write: async (_kind: string, record: unknown) => void written.push(record) } as unknown as PackWriter;
    const run = new CollectionRun(writer, new ApiCallLedger(), new Limits(1), createProgress(true));
    const where: Where = { collector: 'config', service: 'config', operation: 'GetComplianceDetailsByConfigRule', accountId: '111122223333', region: 'ap-southeast-2' };
    const loc = { accountId: '111122223333', region: 'ap-southeast-2' };
    let next = 0;
    const at = new Date('2026-10-01T00:00:00Z');
    // Pages of new resources for as long as anyone asks.
    const query = async () => ({
      items: Array.from({ length: 1000 }, () => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'r1', ResourceType: 'AWS::S3::Bucket', ResourceId: `bucket-${next++}` } },
        ComplianceType: 'COMPLIANT',
        ResultRecordedTime: at,
        ConfigRuleInvokedTime: at,
      })),
      nextToken: `page-${next}`,
    });
    expect(await collectRuleEvaluations(run, where, loc, 'r1', query)).toBe(0);
    expect(written).toEqual([]);
    expect(next).toBeLessThanOrEqual(MAX_EVALUATIONS_PER_RULE + 1000);
    expect(run.gaps).toEqual([{ ...where, errorCode: 'LimitExceeded', message: expect.stringMatching(/^rule r1: beyond what collect accepts from one source: more than 200000 evaluation results/) }]);
  });

  it('a file streamed into the pack past its bound leaves nothing in the pack', async () => {
    const target = path.join(tmp(), 'bounded-pack');
    const writer = await PackWriter.create(target);
    try {
      const staged = readdirSync(path.dirname(target)).find((n) => n.startsWith('.bounded-pack.partial-'))!;
      const source = Readable.from([Buffer.alloc(10), Buffer.alloc(10)]);
      await expect(writer.attachStream('big.bin', limitedRead(source, 15, 'big.bin'), 'application/octet-stream')).rejects.toThrow('big.bin is larger than 0 MiB');
      expect(source.destroyed).toBe(true);
      const attachments = path.join(path.dirname(target), staged, 'attachments');
      expect(existsSync(attachments) ? readdirSync(attachments) : []).toEqual([]);
      const ref = await writer.attachStream('small.bin', limitedRead(Readable.from([Buffer.from('abc')]), 15, 'small.bin'), 'application/octet-stream');
      expect(ref).toEqual({ name: 'small.bin', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', bytes: 3, mediaType: 'application/octet-stream' });
      expect(readdirSync(attachments)).toEqual([ref.sha256]);
    } finally {
      await writer.abort();
    }
  });
});

describe('report download URLs', () => {
  it.each([
    'https://s3.amazonaws.com/bucket/report.pdf',
    'https://artifact-reports.s3.amazonaws.com/report.pdf',
    'https://artifact-reports.s3.us-east-1.amazonaws.com/report.pdf',
    'https://s3.ap-southeast-2.amazonaws.com/bucket/report.pdf',
    'https://s3-us-west-2.amazonaws.com/bucket/report.pdf',
    'https://bucket.s3.dualstack.eu-west-1.amazonaws.com/report.pdf',
    'https://s3-fips.us-gov-west-1.amazonaws.com/bucket/report.pdf',
    'https://bucket.s3.cn-north-1.amazonaws.com.cn/report.pdf',
  ])('accepts AWS S3: %s', (url) => {
    expect(checkedReportUrl(new URL(url), null).href).toBe(url);
  });

  it.each([
    'http://s3.amazonaws.com/bucket/report.pdf',
    'https://s3.amazonaws.com:8443/bucket/report.pdf',
    'http://169.254.169.254/latest/meta-data/',
    'https://s3.amazonaws.com.example.com/report.pdf',
    'https://ec2-54-1-2-3.ap-southeast-2.compute.amazonaws.com/report.pdf',
    'https://s3-1234567890.ap-southeast-2.elb.amazonaws.com/report.pdf',
    'https://abc123.execute-api.us-east-1.amazonaws.com/report.pdf',
    'https://bucket.s3-website-us-east-1.amazonaws.com/report.pdf',
    'http://127.0.0.1:9000/report.pdf',
  ])('refuses anything else: %s', (url) => {
    expect(() => checkedReportUrl(new URL(url), null)).toThrow(RefusedUrlError);
  });

  it('accepts the local emulator collect talks to, and no other local port', () => {
    expect(checkedReportUrl(new URL('http://127.0.0.1:4566/download/r.pdf'), 'http://127.0.0.1:4566').host).toBe('127.0.0.1:4566');
    expect(() => checkedReportUrl(new URL('http://127.0.0.1:80/latest/meta-data/'), 'http://127.0.0.1:4566')).toThrow(RefusedUrlError);
  });
});

describe('credentials in messages', () => {
  it.each([
    ['an Authorization header', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261202/us-east-1/artifact/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7', 'Authorization: AWS4-HMAC-SHA256 Credential=[redacted]/20261202/us-east-1/artifact/aws4_request, SignedHeaders=host;x-amz-date, Signature=[redacted]'],
    ['a presigned URL', 'GET https://b.s3.amazonaws.com/r.pdf?X-Amz-Credential=ASIAY34FZKBOKMUTVV7A%2F20261202&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2Fabc&X-Amz-Signature=0123456789abcdef0123', 'GET https://b.s3.amazonaws.com/r.pdf?X-Amz-Credential=[redacted]%2F20261202&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]'],
    ['an STS answer', '<AccessKeyId>ASIAY34FZKBOKMUTVV7A</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey><SessionToken>FwoGZXIvYXdzEBYaDHh0b2tlbg</SessionToken>', '<AccessKeyId>[redacted]</AccessKeyId><SecretAccessKey>[redacted]</SecretAccessKey><SessionToken>[redacted]</SessionToken>'],
    ['a credentials file', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_session_token = IQoJb3JpZ2luX2VjEJr', 'aws_access_key_id = [redacted]\naws_session_token = [redacted]'],
    ['a bare session token', 'token IQoJb3JpZ2luX2VjEJr//////////wEaDmFwLXNvdXRoZWFzdC0y was refused', 'token [redacted] was refused'],
  ])('%s', (_what, text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it('leaves everything else alone', () => {
    const text = 'User arn:aws:iam::111122223333:user/auditor is not authorized to perform: config:DescribeConfigRules (request 4f0c-7a1e)';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('managed rule identifiers of rules named by an aggregator', () => {
  it('reads conformance pack rule names, and does not guess others', () => {
    expect(managedRuleIdentifier('cloudtrail-enabled-conformance-pack-ghe5lllrv')).toBe('CLOUD_TRAIL_ENABLED');
    expect(managedRuleIdentifier('s3-bucket-versioning-enabled')).toBe('S3_BUCKET_VERSIONING_ENABLED');
    expect(managedRuleIdentifier('my-custom-tagging-rule')).toBeNull();
    // Process checks share one identifier; the built-in ones are known by name.
    expect(managedRuleIdentifier('audit-log-policy-exists-conformance-pack-ghe5lllrv')).toBe('AWS_CONFIG_PROCESS_CHECK');
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
