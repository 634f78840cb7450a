import { S3Client } from '@aws-sdk/client-s3';
import { AuditpackError } from '../errors';
import { awsClientConfig, describeAwsError, type AwsAccess } from '../util/aws-access';

/**
 * The S3 client for publishing and fetching. An endpoint override (emulators, tests) takes
 * path-style addressing, which every S3 emulator serves; against AWS itself the SDK's
 * virtual-hosted style and Region redirects apply.
 */
export function s3Client(access: AwsAccess): S3Client {
  return new S3Client({ ...awsClientConfig(access), forcePathStyle: access.endpointUrl !== undefined, followRegionRedirects: true });
}

/** The AWS error code of a failed call, to tell "not found" from a real failure. */
export const errorCode = (e: unknown): string | undefined => (e as { name?: string }).name;

/** Runs one S3 call, turning its failure into one line that says what was being done. */
export async function s3Call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    if (e instanceof AuditpackError) throw e;
    const reason = describeAwsError(e);
    if (/region is missing/i.test(reason)) throw new AuditpackError(`${what}: no AWS Region: give --region or set AWS_REGION`);
    throw new AuditpackError(`${what}: ${reason}`);
  }
}
