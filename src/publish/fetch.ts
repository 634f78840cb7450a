import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, GetObjectRetentionCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createProgress } from '../collect/progress';
import { AuditpackError } from '../errors';
import { requireAwsCredentials, type AwsAccess } from '../util/aws-access';
import { describeLocation, type S3Location } from './location';
import { errorCode, s3Call, s3Client } from './s3';

/**
 * Downloads a published folder for `verify s3://...`, checking what only S3 can tell: that
 * every object is still under Object Lock retention and was stored with its SHA-256 (which
 * the SDK checks again on the way down). The hashes and the signature are checked on the
 * downloaded copy, exactly as for a local folder.
 */
export async function fetchPublished(location: S3Location, access: AwsAccess, into: string, quiet: boolean, now: Date = new Date()): Promise<string[]> {
  await requireAwsCredentials(access);
  const s3 = s3Client(access);
  try {
    const keys = await listKeys(s3, location);
    if (!keys.length) throw new AuditpackError(`${describeLocation(location)}: no objects; nothing is published there`);
    const progress = createProgress(quiet, process.stderr, 'downloading');
    progress.expect(keys.length);
    const problems: string[] = [];
    try {
      for (const key of keys) {
        problems.push(...(await fetchObject(s3, location, key, into, now)));
        progress.done(1, `checked s3://${location.bucket}/${key}`);
      }
    } finally {
      progress.stop();
    }
    return problems;
  } finally {
    s3.destroy();
  }
}

async function listKeys(s3: S3Client, location: S3Location): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3Call(`${describeLocation(location)}: ListObjectsV2`, () =>
      s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: `${location.prefix}/`, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Downloads one object into its place in the folder; returns what is wrong with its storage. */
async function fetchObject(s3: S3Client, location: S3Location, key: string, into: string, now: Date): Promise<string[]> {
  const url = `s3://${location.bucket}/${key}`;
  const rel = key.slice(location.prefix.length + 1);
  // A key is a path in the folder: one that climbs out of it is not part of any pack.
  if (!rel || rel.split('/').some((s) => s === '' || s === '.' || s === '..')) return [`extra: ${url}: not a path a pack or report holds`];
  const problems: string[] = [];
  const retention = await s3Call(`${url}: GetObjectRetention`, async () => {
    try {
      return await s3.send(new GetObjectRetentionCommand({ Bucket: location.bucket, Key: key }));
    } catch (e) {
      if (errorCode(e) === 'NoSuchObjectLockConfiguration') return null;
      throw e;
    }
  });
  const until = retention?.Retention?.RetainUntilDate;
  if (!retention?.Retention?.Mode || !until) problems.push(`retention: ${url}: no Object Lock retention`);
  else if (until.getTime() <= now.getTime()) problems.push(`retention: ${url}: retention ended ${until.toISOString()}`);
  const file = path.join(into, ...rel.split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  await s3Call(`${url}: GetObject`, async () => {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key, ChecksumMode: 'ENABLED' }));
    if (!object.ChecksumSHA256) problems.push(`checksum: ${url}: stored without a SHA-256 checksum`);
    await pipeline(object.Body as Readable, createWriteStream(file));
  });
  return problems;
}
