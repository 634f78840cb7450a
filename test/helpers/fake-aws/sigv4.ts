import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingMessage } from 'node:http';

/** A SigV4 credential scope: who signed, and for which Region and service. */
export interface SignedScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export interface Secret {
  secretAccessKey: string;
  sessionToken?: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a request's SigV4 signature the way AWS does: by signing the same request again
 * with the secret behind its access key and comparing. Returns the scope when it matches.
 */
export async function verifySignature(req: IncomingMessage, body: string, secrets: (accessKeyId: string) => Secret | undefined): Promise<SignedScope | string> {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!match) return 'no SigV4 Authorization header';
  const [, accessKeyId, , region, service, signedHeaders, signature] = match;
  const secret = secrets(accessKeyId);
  if (!secret) return `unknown access key ${accessKeyId}`;
  const url = new URL(req.url!, `http://${req.headers.host}`);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? ([] as string[]).concat(query[k], v) : v;
  const request = new HttpRequest({ method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body });
  const amzDate = headers['x-amz-date'];
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  // S3 alone signs the path as sent, without encoding it a second time (as its SDK client does).
  const signer = new SignatureV4({ service, region, sha256: Sha256, credentials: { accessKeyId, ...secret }, uriEscapePath: service !== 's3' });
  const resigned = await signer.sign(request, { signingDate });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1];
  return expected === signature ? { accessKeyId, region, service } : `signature mismatch for ${service} ${region}`;
}
