import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, type Secret, type SignedScope } from './sigv4';

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
}

export interface RecordedCall {
  service: string;
  operation: string;
  region: string;
  accountId: string;
  accessKeyId: string;
}

/** A fault to inject: called for every signed request with how many times it was seen. */
export type FaultPlan = (call: RecordedCall & { attempt: number; body: string; url: URL }) => { status: number; code: string; message: string } | undefined;

export interface AccessKey extends Secret {
  accountId: string;
}

export interface FakeAws {
  url: string;
  calls: RecordedCall[];
  /** Requests refused for a bad or missing signature (should stay empty). */
  rejected: string[];
  keys: Map<string, AccessKey>;
  close(): Promise<void>;
}

export async function startFakeAws(
  services: Record<string, FakeService>,
  keys: Map<string, AccessKey>,
  unsigned: (url: URL) => FakeResponse | undefined,
  faults: FaultPlan = () => undefined,
): Promise<FakeAws> {
  const calls: RecordedCall[] = [];
  const rejected: string[] = [];
  const seen = new Map<string, number>();

  const respond = async (req: IncomingMessage, body: string): Promise<FakeResponse> => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (!req.headers.authorization) return unsigned(url) ?? { status: 403, body: 'unsigned request' };
    const scope = await verifySignature(req, body, (id) => keys.get(id));
    if (typeof scope === 'string') {
      rejected.push(scope);
      return { status: 403, body: scope };
    }
    const service = services[scope.service];
    if (!service) return { status: 400, body: `no service ${scope.service}` };
    const request: FakeRequest = { scope, accountId: keys.get(scope.accessKeyId)!.accountId, method: req.method!, url, headers: req.headers, body };
    const operation = service.operation(request);
    const call: RecordedCall = { service: scope.service, operation, region: scope.region, accountId: request.accountId, accessKeyId: scope.accessKeyId };
    calls.push(call);
    const key = JSON.stringify([call, url.search, body]);
    const attempt = (seen.get(key) ?? 0) + 1;
    seen.set(key, attempt);
    const fault = faults({ ...call, attempt, body, url });
    if (fault) return service.error(fault.status, fault.code, fault.message);
    return service.handle(request, operation);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      respond(req, Buffer.concat(chunks).toString('utf8'))
        .catch((e: Error): FakeResponse => ({ status: 599, body: `fake AWS failed: ${e.stack}` }))
        .then((r) => {
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
    rejected,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
