import { createHash } from 'node:crypto';
import { decodeAwsChunked } from './aws-chunked';
import type { FakeRequest, FakeResponse, FakeService } from './server';

/**
 * Amazon S3 in its REST-XML protocol, path-style (/BUCKET/KEY): the Object Lock and checksum
 * parts of PutObject, GetObject, GetObjectRetention, GetObjectLockConfiguration and
 * ListObjectsV2, checked as S3 checks them. The payload hash SigV4 signed must match the
 * body, a checksum (header or aws-chunked trailer) must match the bytes, Object Lock headers
 * need a checksum and a future date, and a bucket keeps every version of a key.
 */
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface StoredVersion {
  body: Buffer;
  versionId: string;
  /** Base64 SHA-256 the upload was checked against, or null when it was sent without one. */
  checksumSha256: string | null;
  lockMode: string | null;
  retainUntil: string | null;
  /** x-amz-content-sha256 of the upload: how its payload travelled (a hash, UNSIGNED-PAYLOAD, a streaming form). */
  payload: string;
}

export interface FakeBucket {
  objectLock: boolean;
  /** Versions of each key, oldest first; reads see the last. */
  objects: Map<string, StoredVersion[]>;
}

export interface FakeS3 {
  buckets: Map<string, FakeBucket>;
  /** Keys in the order PutObject stored them. */
  puts: string[];
}

export function newFakeS3(buckets: Record<string, { objectLock: boolean }>): FakeS3 {
  return { buckets: new Map(Object.entries(buckets).map(([name, b]) => [name, { objectLock: b.objectLock, objects: new Map() }])), puts: [] };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const sha256 = (b: Buffer, encoding: 'hex' | 'base64') => createHash('sha256').update(b).digest(encoding);
const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

function route(req: FakeRequest): { bucket: string; key: string } {
  const [, bucket = '', ...rest] = req.url.pathname.split('/');
  return { bucket: decodeURIComponent(bucket), key: rest.map(decodeURIComponent).join('/') };
}

export function fakeS3(state: FakeS3, options: { pageSize?: number } = {}): FakeService {
  const pageSize = options.pageSize ?? 1000;
  let versions = 0;
  const xml = (body: string, headers: Record<string, string> = {}): FakeResponse => ({
    status: 200,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  });
  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>FAKEREQUEST1</RequestId><HostId>fake-host-id</HostId></Error>`,
  });

  /** The object's bytes and the checksum it came with, or the error S3 gives for the upload. */
  function payload(req: FakeRequest): { body: Buffer; checksum: string | null } | FakeResponse {
    const declared = String(req.headers['x-amz-content-sha256'] ?? '');
    let body = req.raw;
    let checksum = req.headers['x-amz-checksum-sha256'] ? String(req.headers['x-amz-checksum-sha256']) : null;
    if (/^[0-9a-f]{64}$/.test(declared)) {
      if (sha256(body, 'hex') !== declared) return error(400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.');
    } else if (declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
      if (!String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return error(400, 'InvalidArgument', 'aws-chunked payload without Content-Encoding: aws-chunked');
      const decoded = decodeAwsChunked(body);
      if (typeof decoded === 'string') return error(400, 'IncompleteBody', decoded);
      if (String(decoded.body.length) !== String(req.headers['x-amz-decoded-content-length'])) return error(400, 'IncompleteBody', 'x-amz-decoded-content-length does not match the decoded body');
      const trailer = String(req.headers['x-amz-trailer'] ?? '').toLowerCase();
      if (trailer && decoded.trailers[trailer] === undefined) return error(400, 'MalformedTrailerError', `The request contained trailing data that was not well-formed (no ${trailer}).`);
      if (trailer === 'x-amz-checksum-sha256') checksum = decoded.trailers[trailer];
      body = decoded.body;
    } else if (declared !== 'UNSIGNED-PAYLOAD') {
      return error(400, 'NotImplemented', `x-amz-content-sha256 "${declared}" is not served by the fake`);
    }
    const algorithm = req.headers['x-amz-sdk-checksum-algorithm'];
    if (String(algorithm ?? '').toUpperCase() === 'SHA256' && !checksum) {
      return error(400, 'InvalidRequest', 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
    }
    if (checksum !== null && checksum !== sha256(body, 'base64')) return error(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    return { body, checksum };
  }

  function putObject(req: FakeRequest, bucket: FakeBucket, key: string): FakeResponse {
    const got = payload(req);
    if ('status' in got) return got;
    const mode = req.headers['x-amz-object-lock-mode'] ? String(req.headers['x-amz-object-lock-mode']) : null;
    const until = req.headers['x-amz-object-lock-retain-until-date'] ? String(req.headers['x-amz-object-lock-retain-until-date']) : null;
    if (mode || until) {
      if (!bucket.objectLock) return error(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
      if (!mode || !until) return error(400, 'InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
      if (mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') return error(400, 'InvalidArgument', 'Unknown wormMode directive.');
      const date = new Date(until);
      if (Number.isNaN(date.getTime())) return error(400, 'InvalidArgument', 'The retain until date is not a valid timestamp');
      if (date.getTime() <= Date.now()) return error(400, 'InvalidArgument', 'The retain until date must be in the future!');
      if (!got.checksum && !req.headers['content-md5']) {
        return error(400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
      }
    }
    const existing = bucket.objects.get(key) ?? [];
    if (req.headers['if-none-match'] === '*' && existing.length) return error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    const version: StoredVersion = {
      body: got.body,
      versionId: `v${++versions}`,
      checksumSha256: got.checksum,
      lockMode: mode,
      retainUntil: until && new Date(until).toISOString(),
      payload: String(req.headers['x-amz-content-sha256']),
    };
    bucket.objects.set(key, [...existing, version]);
    state.puts.push(key);
    return { status: 200, headers: { etag: etag(got.body), 'x-amz-version-id': version.versionId, ...(got.checksum ? { 'x-amz-checksum-sha256': got.checksum } : {}) }, body: '' };
  }

  function getObject(req: FakeRequest, version: StoredVersion): FakeResponse {
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(version.body.length),
      etag: etag(version.body),
      'last-modified': new Date().toUTCString(),
      'x-amz-version-id': version.versionId,
    };
    if (req.headers['x-amz-checksum-mode'] === 'ENABLED' && version.checksumSha256) Object.assign(headers, { 'x-amz-checksum-sha256': version.checksumSha256, 'x-amz-checksum-type': 'FULL_OBJECT' });
    if (version.lockMode) Object.assign(headers, { 'x-amz-object-lock-mode': version.lockMode, 'x-amz-object-lock-retain-until-date': version.retainUntil! });
    return { status: 200, headers, body: req.method === 'HEAD' ? '' : version.body };
  }

  function list(q: URLSearchParams, name: string, bucket: FakeBucket): FakeResponse {
    const prefix = q.get('prefix') ?? '';
    const max = Math.min(pageSize, Number(q.get('max-keys') ?? 1000));
    const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > page.length;
    const contents = page
      .map((k) => {
        const v = bucket.objects.get(k)!.at(-1)!;
        return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${new Date().toISOString()}</LastModified><ETag>${escapeXml(etag(v.body))}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${escapeXml(page.at(-1)!)}</NextContinuationToken>` : '';
    return xml(
      `<ListBucketResult xmlns="${XMLNS}"><Name>${escapeXml(name)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  }

  return {
    operation: (req) => {
      const { key } = route(req);
      const q = req.url.searchParams;
      if (!key) return q.has('object-lock') ? 'GetObjectLockConfiguration' : q.get('list-type') === '2' ? 'ListObjectsV2' : `Bucket${req.method}`;
      if (q.has('retention')) return req.method === 'GET' ? 'GetObjectRetention' : `Retention${req.method}`;
      return ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' } as Record<string, string>)[req.method] ?? `Object${req.method}`;
    },
    error,
    throttling: { status: 503, code: 'SlowDown' },
    handle: (req, operation) => {
      const { bucket: name, key } = route(req);
      const bucket = state.buckets.get(name);
      if (!bucket) return error(404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (operation === 'GetObjectLockConfiguration') {
        if (!bucket.objectLock) return error(404, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
        return xml(`<ObjectLockConfiguration xmlns="${XMLNS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`);
      }
      if (operation === 'ListObjectsV2') return list(req.url.searchParams, name, bucket);
      if (operation === 'PutObject') return putObject(req, bucket, key);
      const version = bucket.objects.get(key)?.at(-1);
      if (!version) return req.method === 'HEAD' ? { status: 404, body: '' } : error(404, 'NoSuchKey', 'The specified key does not exist.');
      if (operation === 'GetObject' || operation === 'HeadObject') return getObject(req, version);
      if (operation === 'GetObjectRetention') {
        if (!version.lockMode) return error(404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
        return xml(`<Retention xmlns="${XMLNS}"><Mode>${version.lockMode}</Mode><RetainUntilDate>${version.retainUntil}</RetainUntilDate></Retention>`);
      }
      return error(501, 'NotImplemented', `${operation} is not served by the fake`);
    },
  };
}
