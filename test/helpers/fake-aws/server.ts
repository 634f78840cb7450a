import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, type Secret, type SignedScope } from './sigv4';
import { TokenBuckets, type RateLimit } from './throttle';

/**
 * A local stand-in for AWS on 127.0.0.1: one HTTP endpoint (as AWS_ENDPOINT_URL makes the
 * SDK use) that tells the services apart by the SigV4 credential scope, checks every
 * signature, serves each service in its own wire protocol, and records what it was asked.
 */

export interface FakeRequest {
  scope: SignedScope;
  accountId: string;
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body's bytes, for services whose payloads are not text (S3 objects). */
  raw: Buffer;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export interface FakeService {
  /** The operation a request calls (an X-Amz-Target, an Action, a REST route). */
  operation(req: FakeRequest): string;
  handle(req: FakeRequest, operation: string): FakeResponse;
  /** An error in the service's protocol. */
  error(status: number, code: string, message: string): FakeResponse;
  /** How the service answers a request over its rate limit. */
  throttling: { status: number; code: string };
}

export interface RecordedCall {
  service: string;
  operation: string;
  region: string;
  accountId: string;
  accessKeyId: string;
}

/** A fault to inject: called for every signed request with how many times it was seen (and its headers, for an endpoint that echoes them). */
export type FaultPlan = (call: RecordedCall & { attempt: number; body: string; url: URL; headers: IncomingMessage['headers'] }) => { status: number; code: string; message: string } | undefined;

export interface AccessKey extends Secret {
  accountId: string;
}

export interface ServerOptions {
  faults?: FaultPlan;
  /** Each answer waits a random time in this range (milliseconds), as a network round trip and AWS's own work take. */
  latency?: { min: number; max: number };
  /** A rate limit per service, operation, account and Region; requests past it are throttled ("Rate exceeded"). */
  rateLimit?: RateLimit;
  /** Keep every call in `calls` (the default); an organisation-sized run only counts them. */
  record?: boolean;
  /** Holds a call's answer until the promise it returns settles: for tests of how many requests a client keeps in flight. */
  hold?: (call: RecordedCall) => Promise<void> | undefined;
}

/** What one operation was asked, and how often it answered with a throttle. */
export interface OperationCount {
  service: string;
  operation: string;
  calls: number;
  throttled: number;
}

export interface FakeAws {
  url: string;
  /** Every call, unless the server was started with `record: false`. */
  calls: RecordedCall[];
  /** The calls per operation since the last time they were taken. */
  takeCounts(): OperationCount[];
  /** Requests refused for a bad or missing signature (should stay empty). */
  rejected: string[];
  keys: Map<string, AccessKey>;
  /** The most requests that were open at once (received, not yet answered). */
  peakInFlight(): number;
  close(): Promise<void>;
}

export async function startFakeAws(
  services: Record<string, FakeService>,
  keys: Map<string, AccessKey>,
  unsigned: (url: URL) => FakeResponse | undefined,
  options: ServerOptions = {},
): Promise<FakeAws> {
  const calls: RecordedCall[] = [];
  const rejected: string[] = [];
  let counts = new Map<string, OperationCount>();
  const buckets = options.rateLimit && new TokenBuckets(options.rateLimit);
  // Attempts are told apart only for a fault plan: remembering every request would grow with the estate.
  const seen = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  const count = (call: RecordedCall, throttled: boolean) => {
    const key = `${call.service}:${call.operation}`;
    const c = counts.get(key) ?? { service: call.service, operation: call.operation, calls: 0, throttled: 0 };
    c.calls++;
    if (throttled) c.throttled++;
    counts.set(key, c);
  };

  const respond = async (req: IncomingMessage, raw: Buffer): Promise<FakeResponse> => {
    const body = raw.toString('utf8');
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (!req.headers.authorization) return unsigned(url) ?? { status: 403, body: 'unsigned request' };
    const scope = await verifySignature(req, body, (id) => keys.get(id));
    if (typeof scope === 'string') {
      rejected.push(scope);
      return { status: 403, body: scope };
    }
    const service = services[scope.service];
    if (!service) return { status: 400, body: `no service ${scope.service}` };
    const request: FakeRequest = { scope, accountId: keys.get(scope.accessKeyId)!.accountId, method: req.method!, url, headers: req.headers, body, raw };
    const operation = service.operation(request);
    const call: RecordedCall = { service: scope.service, operation, region: scope.region, accountId: request.accountId, accessKeyId: scope.accessKeyId };
    if (options.record ?? true) calls.push(call);
    await options.hold?.(call);
    const throttled = buckets !== undefined && !buckets.take(`${call.service}:${operation}:${call.accountId}:${call.region}`);
    count(call, throttled);
    if (throttled) return service.error(service.throttling.status, service.throttling.code, 'Rate exceeded');
    if (options.faults) {
      const key = JSON.stringify([call, url.search, body]);
      const attempt = (seen.get(key) ?? 0) + 1;
      seen.set(key, attempt);
      const fault = options.faults({ ...call, attempt, body, url, headers: req.headers });
      if (fault) return service.error(fault.status, fault.code, fault.message);
    }
    return service.handle(request, operation);
  };
  const latency = options.latency;
  const wait = () => (latency ? new Promise((resolve) => setTimeout(resolve, latency.min + Math.random() * (latency.max - latency.min))) : Promise.resolve());

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      respond(req, Buffer.concat(chunks))
        .catch((e: Error): FakeResponse => ({ status: 599, body: `fake AWS failed: ${e.stack}` }))
        .then(async (r) => {
          await wait();
          res.writeHead(r.status, r.headers ?? {});
          res.end(r.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    takeCounts: () => {
      const taken = [...counts.values()];
      counts = new Map();
      return taken;
    },
    rejected,
    keys,
    peakInFlight: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
