import { Sha256 } from '@aws-crypto/sha256-js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Readable } from 'node:stream';
import type { ApiCallLedger } from './api-calls';
import { ARTIFACT_PAGE_SIZE, type ArtifactApi, type CustomerAgreement, type ReportSummary } from './artifact-api';
import { httpTimeouts } from './clients';
import { ARTIFACT_REGION } from './endpoints';
import { MalformedResponseError } from './malformed';
import { withRetries } from './retry';

/**
 * An error AWS Artifact returned, shaped like the SDK's service exceptions (name is the error
 * code, `$metadata` the HTTP status and attempts) so that gaps are made from both alike.
 */
export class ArtifactServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly $metadata: { httpStatusCode?: number; attempts?: number },
  ) {
    super(message);
  }
}

/**
 * A minimal AWS Artifact client for when @aws-sdk/client-artifact is not installed: the
 * restJson1 GET operations collect needs, signed with SigV4 for service `artifact`, with the
 * same retries as the SDK's and every attempt counted.
 */
export class ArtifactRestClient implements ArtifactApi {
  private readonly handler: NodeHttpHandler;
  private readonly signer: SignatureV4;

  constructor(
    private readonly endpoint: URL,
    credentials: AwsCredentialIdentityProvider,
    private readonly maxAttempts: number,
    private readonly ledger: ApiCallLedger,
    requestTimeoutMs: number,
  ) {
    this.handler = new NodeHttpHandler(httpTimeouts(requestTimeoutMs));
    this.signer = new SignatureV4({ service: 'artifact', region: ARTIFACT_REGION, credentials, sha256: Sha256 });
  }

  async listReports(nextToken: string | undefined) {
    const o = await this.get<{ reports?: ReportSummary[]; nextToken?: string }>('ListReports', '/v1/report/list', { maxResults: String(ARTIFACT_PAGE_SIZE), nextToken });
    return { items: o.reports ?? [], nextToken: o.nextToken };
  }

  async getReportMetadata(reportId: string, reportVersion: number) {
    const o = await this.get<{ reportDetails?: ReportSummary }>('GetReportMetadata', '/v1/report/getMetadata', { reportId, reportVersion: String(reportVersion) });
    return o.reportDetails;
  }

  getTermForReport(reportId: string, reportVersion: number) {
    return this.get<{ termToken?: string }>('GetTermForReport', '/v1/report/getTermForReport', { reportId, reportVersion: String(reportVersion) });
  }

  getReport(reportId: string, reportVersion: number, termToken: string) {
    return this.get<{ documentPresignedUrl?: string }>('GetReport', '/v1/report/get', { reportId, reportVersion: String(reportVersion), termToken });
  }

  async listCustomerAgreements(nextToken: string | undefined) {
    const o = await this.get<{ customerAgreements?: CustomerAgreement[]; nextToken?: string }>('ListCustomerAgreements', '/v1/customer-agreement/list', {
      maxResults: String(ARTIFACT_PAGE_SIZE),
      nextToken,
    });
    return { items: o.customerAgreements ?? [], nextToken: o.nextToken };
  }

  destroy(): void {
    this.handler.destroy();
  }

  private get<T>(operation: string, path: string, query: Record<string, string | undefined>): Promise<T> {
    return withRetries(this.ledger, 'artifact', operation, this.maxAttempts, () => this.send<T>(path, query));
  }

  private async send<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    const { endpoint } = this;
    const request = new HttpRequest({
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      // An endpoint may carry a base path (a proxy or emulator mounted below /).
      path: `${endpoint.pathname.replace(/\/$/, '')}${path}`,
      query: Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)),
      headers: { host: endpoint.host, accept: 'application/json' },
    });
    const signed = (await this.signer.sign(request)) as HttpRequest;
    const { response } = await this.handler.handle(signed);
    const body = await readBody(response.body as Readable);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      try {
        return JSON.parse(body || '{}') as T;
      } catch {
        throw new MalformedResponseError(`${path}: the response is not JSON`);
      }
    }
    throw serviceError(response.statusCode, response.headers, body);
  }
}

async function readBody(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The error of a restJson1 response: its code is in the x-amzn-errortype header, else the
 * body's `__type` or `code` (either may carry a namespace or a suffix after a colon).
 */
function serviceError(status: number, headers: Record<string, string>, body: string): ArtifactServiceError {
  let parsed: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // not JSON: the status alone tells what happened
  }
  const header = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  const raw = header ?? parsed.__type ?? parsed.code ?? `Http${status}`;
  const code = raw.split(':')[0].split('#').pop()!;
  return new ArtifactServiceError(code, parsed.message ?? parsed.Message ?? `HTTP ${status}`, { httpStatusCode: status });
}
