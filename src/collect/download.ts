import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest } from '@smithy/protocol-http';
import type { Readable } from 'node:stream';
import type { ApiCallLedger } from './api-calls';
import { LimitExceededError, limitedRead, MAX_REPORT_BYTES, mebibytes } from './bounds';
import { httpTimeouts } from './clients';
import { withRetries } from './retry';

/** A report file that could not be fetched from its presigned URL; shaped for gaps like an AWS error. */
export class DownloadError extends Error {
  override readonly name = 'DownloadFailed';
  constructor(
    message: string,
    readonly $metadata: { httpStatusCode?: number },
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A URL collect will not fetch (nor be redirected to): it is not where AWS keeps its reports. */
export class RefusedUrlError extends Error {
  override readonly name = 'RefusedUrl';
}

export interface DownloadSettings {
  maxAttempts: number;
  requestTimeoutMs: number;
  /**
   * The origin of a local emulator (the Artifact endpoint, when it is on this machine), whose
   * own URLs are accepted too; null against AWS.
   */
  emulator: string | null;
}

/**
 * AWS's S3 hosts, as presigned URLs name them: path-style and virtual-hosted, legacy
 * `s3-<region>`, FIPS and dual-stack, in the commercial and China partitions. Nothing else
 * under amazonaws.com qualifies: customers name EC2, ELB and API Gateway hosts there too.
 */
const S3_HOST = /^(?:[a-z0-9][a-z0-9.-]*\.)?(?:s3|s3-fips|s3-external-1|s3-[a-z]{2}(?:-[a-z]+)+-\d)(?:\.dualstack)?(?:\.[a-z]{2}(?:-[a-z]+)+-\d)?\.amazonaws\.com(?:\.cn)?$/;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** S3 redirects at most to a bucket's own Region; a chain of them is not S3. */
const MAX_REDIRECTS = 3;

/** `url` if collect may fetch it: https to an S3 host on its default port, or the local emulator. */
export function checkedReportUrl(url: URL, emulator: string | null): URL {
  if (emulator !== null && url.origin === emulator) return url;
  if (url.protocol === 'https:' && url.port === '' && S3_HOST.test(url.hostname)) return url;
  throw new RefusedUrlError(`${url.origin} is not an AWS S3 address; not fetched`);
}

/**
 * Fetches a report from the presigned (S3) URL an Artifact GetReport returns, and hands its
 * body to `store` as it arrives (bounded to MAX_REPORT_BYTES). The URL carries its own
 * signature, so nothing else is sent with it; it is counted in the ledger as an S3 call.
 * Redirects are followed only to URLs that pass the same check as the first.
 */
export async function downloadReport<T>(url: string, ledger: ApiCallLedger, settings: DownloadSettings, store: (body: Readable) => Promise<T>): Promise<T> {
  const first = checkedReportUrl(parseUrl(url, 'the report URL'), settings.emulator);
  const handler = new NodeHttpHandler(httpTimeouts(settings.requestTimeoutMs));
  try {
    return await withRetries(ledger, 's3', 'GetObject', settings.maxAttempts, async () => {
      let target = first;
      for (let redirects = 0; ; redirects++) {
        const { response } = await handler.handle(
          // The path and query go as given: re-encoding them could break the URL's signature.
          new HttpRequest({ method: 'GET', protocol: target.protocol, hostname: target.hostname, port: target.port ? Number(target.port) : undefined, path: `${target.pathname}${target.search}`, headers: { host: target.host } }),
        );
        const body = response.body as Readable;
        const status = response.statusCode;
        if (status >= 200 && status < 300) return await receive(body, Number(response.headers['content-length']), target, store);
        body.destroy();
        if (!REDIRECTS.has(status)) throw new DownloadError(`${target.host}: HTTP ${status}`, { httpStatusCode: status });
        if (redirects === MAX_REDIRECTS) throw new RefusedUrlError(`${target.host}: more than ${MAX_REDIRECTS} redirects; not followed`);
        const location = response.headers.location;
        if (!location) throw new DownloadError(`${target.host}: HTTP ${status} without a Location`, { httpStatusCode: status });
        const next = parseUrl(location, `${target.host}: the redirect`, target);
        try {
          target = checkedReportUrl(next, settings.emulator);
        } catch (e) {
          throw new RefusedUrlError(`${target.host} redirected to ${(e as Error).message}`);
        }
      }
    });
  } finally {
    handler.destroy();
  }
}

/** The body, bounded, into `store`; a failure while it arrives is a download failure (retried), one of `store` is not. */
async function receive<T>(body: Readable, declared: number, from: URL, store: (body: Readable) => Promise<T>): Promise<T> {
  if (declared > MAX_REPORT_BYTES) {
    body.destroy();
    throw new LimitExceededError(`${from.host}: the report is ${mebibytes(declared)}, larger than the ${mebibytes(MAX_REPORT_BYTES)} a report may be`);
  }
  let failure: (Error & { code?: string }) | undefined;
  body.on('error', (e) => (failure = e));
  try {
    return await store(limitedRead(body, MAX_REPORT_BYTES, `${from.host}: the report`));
  } catch (e) {
    if (failure === undefined || e instanceof LimitExceededError) throw e;
    if (failure.name === 'TimeoutError') throw failure;
    throw new DownloadError(`${from.host}: ${failure.code ?? failure.message}`, {}, failure.code);
  }
}

function parseUrl(text: string, what: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new RefusedUrlError(`${what} is not a URL`);
  }
}
