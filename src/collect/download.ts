import type { ApiCallLedger } from './api-calls';
import { MalformedResponseError } from './malformed';
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

/** Plain http only to this machine: emulators and tests serve files locally, AWS never does. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/**
 * Fetches a file from the presigned (S3) URL an Artifact GetReport returns. The URL carries
 * its own signature, so nothing else is sent with it; it is counted in the ledger as an S3 call.
 */
export async function downloadPresigned(url: string, ledger: ApiCallLedger, maxAttempts: number): Promise<Buffer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new MalformedResponseError('the report URL is not a URL');
  }
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && LOOPBACK.has(target.hostname))) {
    throw new MalformedResponseError(`the report URL is not https: ${target.origin}`);
  }
  return withRetries(ledger, 's3', 'GetObject', maxAttempts, async () => {
    let response: Response;
    try {
      response = await fetch(target, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (e) {
      // fetch reports socket errors as a TypeError whose cause holds Node's error code.
      const code = (e as { cause?: { code?: string } }).cause?.code;
      throw new DownloadError(`${target.host}: ${code ?? (e as Error).message}`, {}, code);
    }
    if (!response.ok) throw new DownloadError(`${target.host}: HTTP ${response.status}`, { httpStatusCode: response.status });
    return Buffer.from(await response.arrayBuffer());
  });
}
