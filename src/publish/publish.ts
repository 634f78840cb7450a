import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { GetObjectLockConfigurationCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createProgress } from '../collect/progress';
import { AuditpackError } from '../errors';
import { checkFolder } from '../integrity/check';
import { digestFile } from '../integrity/files';
import { MANIFEST_FILE, readFileList, SIGNATURE_FILE } from '../integrity/verify';
import { requireAwsCredentials, type AwsAccess } from '../util/aws-access';
import { describeLocation, objectKey, type S3Location } from './location';
import type { Retention } from './retention';
import { errorCode, s3Call, s3Client } from './s3';

export interface PublishRequest {
  dir: string;
  location: S3Location;
  retention: Retention;
  access: AwsAccess;
  quiet: boolean;
}

export interface Published {
  objects: number;
  bytes: number;
}

interface Upload {
  path: string;
  sha256: string;
  bytes: number;
}

/** A single PutObject takes at most 5 GiB; no evidence file comes near it, and multipart is not worth its complexity here. */
const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/**
 * Uploads a pack or report folder to a bucket with Object Lock, each object locked with the
 * retention given and sent with its SHA-256 so S3 refuses bytes that differ from the
 * manifest. The manifest and its signature go last: a prefix without them is recognisably
 * incomplete, and an upload cut short can never pass for a whole pack.
 */
export async function publishFolder(request: PublishRequest): Promise<Published> {
  const uploads = await plannedUploads(request.dir);
  await requireAwsCredentials(request.access);
  const s3 = s3Client(request.access);
  try {
    await requireObjectLock(s3, request.location.bucket);
    await requireEmptyPrefix(s3, request.location);
    const progress = createProgress(request.quiet, process.stderr, 'uploading');
    progress.expect(uploads.length);
    let done = 0;
    try {
      for (const upload of uploads) {
        const key = objectKey(request.location, upload.path);
        await s3Call(`s3://${request.location.bucket}/${key}: PutObject`, () => put(s3, request, key, path.join(request.dir, upload.path), upload)).catch((e: AuditpackError) => {
          const left = done
            ? `; ${done} of ${uploads.length} objects were uploaded before it and stay locked until ${request.retention.until.toISOString()}: without ${MANIFEST_FILE} that prefix is incomplete, publish again to a new prefix`
            : '';
          throw new AuditpackError(`${e.message}${left}`);
        });
        done++;
        progress.done(1, `uploaded ${key} (${upload.bytes} bytes)`);
      }
    } finally {
      progress.stop();
    }
    return { objects: uploads.length, bytes: uploads.reduce((n, u) => n + u.bytes, 0) };
  } finally {
    s3.destroy();
  }
}

/** Every listed file, then the manifest, then its signature; only from a folder that verifies. */
async function plannedUploads(dir: string): Promise<Upload[]> {
  const check = await checkFolder(dir);
  if (check.problems.length) throw new AuditpackError(`${dir}: ${check.summary}; only an intact folder is published (run \`auditpack verify ${dir}\`)`);
  const { files } = await readFileList(dir);
  const last = [MANIFEST_FILE, SIGNATURE_FILE].filter((f) => existsSync(path.join(dir, f)));
  const uploads: Upload[] = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of last) uploads.push({ path: file, ...(await digestFile(path.join(dir, file))) });
  const large = uploads.find((u) => u.bytes > MAX_OBJECT_BYTES);
  if (large) throw new AuditpackError(`${path.join(dir, large.path)}: ${large.bytes} bytes, over the 5 GiB auditpack uploads as one object`);
  return uploads;
}

async function requireObjectLock(s3: S3Client, bucket: string): Promise<void> {
  const what = `s3://${bucket}: GetObjectLockConfiguration`;
  const config = await s3Call(what, async () => {
    try {
      return await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    } catch (e) {
      if (errorCode(e) === 'ObjectLockConfigurationNotFoundError') return null;
      throw e;
    }
  });
  if (config?.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') {
    throw new AuditpackError(`s3://${bucket}: Object Lock is not enabled on this bucket; publish writes only to a bucket created with Object Lock, so the evidence cannot be changed or deleted before its retention ends`);
  }
}

/** Never overwrite: a prefix that holds anything (even an incomplete upload) is refused. */
async function requireEmptyPrefix(s3: S3Client, location: S3Location): Promise<void> {
  const where = describeLocation(location);
  const listed = await s3Call(`${where}: ListObjectsV2`, () => s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: `${location.prefix}/`, MaxKeys: 1 })));
  if ((listed.KeyCount ?? listed.Contents?.length ?? 0) > 0) {
    throw new AuditpackError(`${where}: already holds objects (${listed.Contents?.[0]?.Key ?? 'at least one'}); publish never overwrites, choose a new prefix`);
  }
}

function put(s3: S3Client, request: PublishRequest, key: string, file: string, upload: Upload) {
  return s3.send(
    new PutObjectCommand({
      Bucket: request.location.bucket,
      Key: key,
      Body: createReadStream(file),
      ContentLength: upload.bytes,
      // The manifest's own hash is the checksum: S3 stores the object only if its bytes are the ones the manifest hashed.
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: Buffer.from(upload.sha256, 'hex').toString('base64'),
      ObjectLockMode: request.retention.mode,
      ObjectLockRetainUntilDate: request.retention.until,
      // S3's conditional write: refused if the key appeared since the prefix was found empty.
      IfNoneMatch: '*',
    }),
  );
}
