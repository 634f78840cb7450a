import { CALLER_KEYS } from './index';
import { fakeKms, type FakeKmsKey } from './kms';
import { fakeS3, newFakeS3, type FakeS3 } from './s3';
import { startFakeAws, type AccessKey, type FakeAws, type FaultPlan } from './server';

export { fakeKmsKey, type FakeKmsKey } from './kms';
export type { FakeS3, StoredVersion } from './s3';

export const STORAGE_ACCOUNT = '111122223333';
export const STORAGE_REGION = 'ap-southeast-2';

export interface StorageAws {
  aws: FakeAws;
  s3: FakeS3;
}

/** S3 and KMS on one local endpoint, for signing with KMS and publishing to Object Lock. */
export async function startStorageAws(options: { buckets: Record<string, { objectLock: boolean }>; kmsKeys: FakeKmsKey[]; pageSize?: number; faults?: FaultPlan }): Promise<StorageAws> {
  const keys = new Map<string, AccessKey>([[CALLER_KEYS.accessKeyId, { accountId: STORAGE_ACCOUNT, secretAccessKey: CALLER_KEYS.secretAccessKey }]]);
  const s3 = newFakeS3(options.buckets);
  const aws = await startFakeAws({ s3: fakeS3(s3, { pageSize: options.pageSize }), kms: fakeKms(options.kmsKeys) }, keys, () => undefined, { faults: options.faults });
  return { aws, s3 };
}
