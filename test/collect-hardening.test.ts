import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openPack, type EvidencePack } from '../src/evidence/reader';
import type { EvidenceKind, EvidenceRecord } from '../src/evidence/kinds';
import { awsEnv, runCli, type CliResult } from './helpers/collect-cli';
import { CALLER_KEYS, presignedDownload, reportFile, sampleEstate, startEstateAws, type FakeAws, type FakeEstate } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * collect against hostile folders and endpoints: what it must refuse, bound or hide, end to
 * end through the compiled CLI and the fake AWS.
 */
const tmp = useTempDir('auditpack-collect-hardening-');
const CALLER = { AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey };
const CHILD_TIMEOUT_MS = 180_000;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let estate: FakeEstate;
beforeAll(async () => {
  estate = await sampleEstate(tmp(), 2);
});

async function records<K extends EvidenceKind>(pack: EvidencePack, kind: K): Promise<EvidenceRecord<K>[]> {
  const out: EvidenceRecord<K>[] = [];
  for await (const r of pack.records(kind)) out.push(r);
  return out;
}

/** A local server that counts what it is asked and answers like a metadata service would. */
async function startBystander(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('{"AccessKeyId":"not for the pack"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('attachments inside the folder', () => {
  it('takes a file named ..reg.csv and a link to a file inside the folder', async () => {
    const aws = await startEstateAws(estate);
    try {
      const attestations = path.join(tmp(), 'inside', 'attestations');
      mkdirSync(path.join(attestations, 'evidence'), { recursive: true });
      writeFileSync(path.join(attestations, '..reg.csv'), 'name,completed\nSam,2026-08-01\n');
      writeFileSync(path.join(attestations, 'evidence', 'register-2026.csv'), 'name,completed\nAlex,2026-09-01\n');
      // A link that stays inside the folder is fine.
      symlinkSync('register-2026.csv', path.join(attestations, 'evidence', 'current.csv'));
      writeFileSync(
        path.join(attestations, 'att-1.yaml'),
        [
          'kind: attestation',
          'id: ATT-1',
          'controlIds: [ism-0252]',
          'statement: Training is recorded in the registers.',
          'attester: Sam Taylor',
          'attestedOn: 2026-08-29',
          'validUntil: 2027-08-31',
          'attachments:',
          '  - path: ..reg.csv',
          '  - path: evidence/current.csv',
          '',
        ].join('\n'),
      );
      const out = path.join(tmp(), 'inside', 'pack');
      const r = await runCli(['collect', '--out', out, '--regions', 'ap-southeast-2', '--attestations', attestations, '--endpoint-url', aws.url, '--quiet'], awsEnv(CALLER), tmp());
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [attestation] = await records(await openPack(out), 'attestations');
      expect(attestation.attachments.map((a) => [a.name, a.sha256])).toEqual([
        ['..reg.csv', sha256('name,completed\nSam,2026-08-01\n')],
        ['current.csv', sha256('name,completed\nAlex,2026-09-01\n')],
      ]);
    } finally {
      await aws.close();
    }
  }, CHILD_TIMEOUT_MS);
});

describe('report downloads that leave AWS, or would fill the disk', () => {
  let aws: FakeAws;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  let result: CliResult;
  let pack: EvidencePack;

  beforeAll(async () => {
    bystander = await startBystander();
    const [redirectedAway, redirectedHome, huge] = estate.reports.map((r) => r.id);
    aws = await startEstateAws(estate, {
      downloads: (url) => {
        const id = /^\/download\/(report-\w+)\.pdf$/.exec(url.pathname)?.[1];
        // To another host (think instance metadata): never fetched.
        if (id === redirectedAway) return { status: 302, headers: { location: `${bystander.url}/latest/meta-data/iam/security-credentials/` }, body: '' };
        // To the same (emulated) S3 again, as S3 redirects to a bucket's Region: followed.
        if (id === redirectedHome && !url.searchParams.has('moved')) return { status: 307, headers: { location: `${url.pathname}${url.search}&moved=1` }, body: '' };
        // Far larger than any report: refused from its declared length, before it is read.
        if (id === huge) return { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(300 * 1024 ** 2) }, body: 'short' };
        return presignedDownload(url);
      },
    });
    const out = path.join(tmp(), 'downloads', 'pack');
    result = await runCli(['collect', '--out', out, '--regions', 'ap-southeast-2', '--artifact-download', '--endpoint-url', aws.url, '--quiet'], awsEnv(CALLER), tmp());
    pack = await openPack(out);
  }, CHILD_TIMEOUT_MS);
  afterAll(async () => {
    await aws.close();
    await bystander.close();
  });

  it('never fetches a redirect to a host that is not AWS S3, and says so in a gap', () => {
    const [redirectedAway] = estate.reports;
    expect(bystander.hits).toEqual([]);
    const gap = pack.manifest.gaps.find((g) => g.message.startsWith(`report ${redirectedAway.id}:`));
    expect(gap).toMatchObject({ service: 's3', operation: 'GetObject', errorCode: 'RefusedUrl' });
    expect(gap!.message).toContain(`redirected to ${bystander.url} is not an AWS S3 address; not fetched`);
  });

  it('follows a redirect that passes the same check, and bounds the size of a report', async () => {
    const [, redirectedHome, huge] = estate.reports;
    const reports = await records(pack, 'artifactReports');
    expect(reports.find((r) => r.id === redirectedHome.id)!.attachment).toEqual({ sha256: sha256(reportFile(redirectedHome.id)), bytes: reportFile(redirectedHome.id).length });
    expect(reports.find((r) => r.id === huge.id)!.attachment).toBeNull();
    expect(pack.manifest.gaps.find((g) => g.message.startsWith(`report ${huge.id}:`))).toMatchObject({
      errorCode: 'LimitExceeded',
      message: expect.stringMatching(/the report is 300 MiB, larger than the 256 MiB a report may be$/),
    });
    expect(pack.manifest.gaps).toHaveLength(2);
    expect(result.code).toBe(3);
  });
});

describe('an endpoint that accepts connections and never answers', () => {
  let result: CliResult;
  let pack: EvidencePack;
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  let aws: FakeAws;

  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    // STS answers (the caller must be known), Config and Artifact never do.
    aws = await startEstateAws(estate);
    const out = path.join(tmp(), 'silent', 'pack');
    result = await runCli(
      ['collect', '--out', out, '--regions', 'ap-southeast-2', '--request-timeout', '1', '--max-attempts', '2', '--quiet'],
      awsEnv({ ...CALLER, AWS_ENDPOINT_URL: url, AWS_ENDPOINT_URL_STS: aws.url }),
      tmp(),
    );
    pack = await openPack(out);
  }, CHILD_TIMEOUT_MS);
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await aws.close();
  });

  it('retries each timed-out request, then records it as a gap and exits 3', () => {
    expect(result.code).toBe(3);
    // A Region whose first call cannot reach Config is not tried further; Artifact's listings each are.
    expect(pack.manifest.gaps.map((g) => `${g.service}:${g.operation}`).sort()).toEqual(['artifact:ListCustomerAgreements', 'artifact:ListReports', 'config:DescribeConfigurationRecorders']);
    for (const gap of pack.manifest.gaps) {
      expect(gap).toMatchObject({ errorCode: 'TimeoutError', message: expect.stringMatching(/^no answer within the request timeout \(--request-timeout\) after 2 attempts/) });
    }
    const recorders = pack.manifest.apiCalls!.find((c) => c.operation === 'DescribeConfigurationRecorders')!;
    expect(recorders).toMatchObject({ calls: 2, retries: 1 });
    expect(pack.manifest.apiCalls!.find((c) => c.operation === 'ListReports')).toMatchObject({ calls: 2, retries: 1 });
  });
});

describe('credentials an endpoint echoes back', () => {
  let aws: FakeAws;
  let result: CliResult;
  let manifestText: string;
  let other: string;

  beforeAll(async () => {
    other = estate.accounts[1];
    // An endpoint that puts the request's headers into its error text.
    aws = await startEstateAws(estate, {
      faults: (call) =>
        (call.service === 'config' && call.accountId === other) || call.operation === 'ListReports'
          ? {
              status: 400,
              code: 'AccessDeniedException',
              message: `denied; your request: Authorization: ${call.headers.authorization}; X-Amz-Security-Token: ${call.headers['x-amz-security-token'] ?? 'none'}`,
            }
          : undefined,
    });
    const out = path.join(tmp(), 'echo', 'pack');
    result = await runCli(
      ['collect', '--out', out, '--regions', 'ap-southeast-2', '--role-arn', `arn:aws:iam::${other}:role/auditpack-collect`, '--endpoint-url', aws.url],
      awsEnv(CALLER),
      tmp(),
    );
    manifestText = readFileSync(path.join(out, 'manifest.json'), 'utf8');
  }, CHILD_TIMEOUT_MS);
  afterAll(() => aws.close());

  it('keeps the gaps but takes key ids, session tokens and signatures out of them and of what is printed', () => {
    expect(result.code).toBe(3);
    const gaps = (JSON.parse(manifestText) as { gaps: { message: string }[] }).gaps;
    expect(gaps.length).toBeGreaterThan(1);
    for (const gap of gaps) expect(gap.message).toMatch(/^denied; your request: Authorization: AWS4-HMAC-SHA256 Credential=\[redacted\]\/.*Signature=\[redacted\]/);
    for (const text of [manifestText, result.stdout, result.stderr]) {
      expect(text).not.toContain(CALLER_KEYS.accessKeyId);
      expect(text).not.toContain(`ASIA${other}`);
      expect(text).not.toContain(`token-${other}`);
      expect(text).not.toMatch(/Signature=[0-9a-f]/);
    }
    expect(result.stderr).toContain('X-Amz-Security-Token: [redacted]');
  });
});

describe('an STS that fails with a body that is not its XML', () => {
  it('stops with one line naming the endpoint', async () => {
    const aws = await startEstateAws(estate, {
      faults: (call) => (call.operation === 'GetCallerIdentity' ? { status: 500, code: 'InternalFailure', message: 'unavailable <p>try again later' } : undefined),
    });
    try {
      const r = await runCli(['collect', '--out', path.join(tmp(), 'sts-500'), '--endpoint-url', aws.url, '--max-attempts', '1', '--quiet'], awsEnv(CALLER), tmp());
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `auditpack: cannot identify the caller with STS GetCallerIdentity at ${aws.url}: server error (HTTP 500): the answer could not be read (@aws-sdk XML parse error: mismatched tags <p> and </Message>.)`,
      ]);
    } finally {
      await aws.close();
    }
  }, CHILD_TIMEOUT_MS);
});
