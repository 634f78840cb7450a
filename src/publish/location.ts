import { AuditpackError } from '../errors';

/** Where a folder is published: every object is PREFIX/<path in the folder>. */
export interface S3Location {
  bucket: string;
  /** Without a leading or trailing slash, never empty: a pack never lands at a bucket's root. */
  prefix: string;
}

const S3_URL = /^s3:\/\/([^/]+)\/(.*)$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const isS3Url = (value: string): boolean => value.startsWith('s3://');

export function parseS3Url(value: string): S3Location {
  const match = S3_URL.exec(value);
  if (!match) throw new AuditpackError(`${value}: not an S3 location; write s3://BUCKET/PREFIX`);
  const [, bucket, rawPrefix] = match;
  if (!BUCKET.test(bucket)) throw new AuditpackError(`${value}: "${bucket}" is not an S3 bucket name`);
  const prefix = rawPrefix.replace(/\/+$/, '');
  if (!prefix) throw new AuditpackError(`${value}: no prefix; give each pack or report its own, e.g. s3://${bucket}/packs/2026-Q4`);
  if (prefix.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new AuditpackError(`${value}: the prefix has an empty, "." or ".." part`);
  return { bucket, prefix };
}

export const objectKey = (location: S3Location, relativePath: string): string => `${location.prefix}/${relativePath}`;

export const describeLocation = (location: S3Location): string => `s3://${location.bucket}/${location.prefix}/`;
