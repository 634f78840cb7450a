import { fakeArtifact, presignedDownload } from './artifact';
import { fakeConfig } from './config';
import type { FakeAggregator } from './config-aggregate';
import { TEST_PAGES, type PageSizes } from './config-wire';
import { estateData, type FakeEstate } from './estate';
import { startFakeAws, type AccessKey, type FakeAws, type FakeResponse, type ServerOptions } from './server';
import type { FakeData } from './store';
import { fakeSts } from './sts';

export { sampleEstate, ruleCompliance, FAKE_REGIONS, type FakeEstate } from './estate';
export { AWS_PAGES, TEST_PAGES, type PageSizes } from './config-wire';
export type { FakeAggregator } from './config-aggregate';
export { packData } from './pack-store';
export { presignedDownload, reportFile } from './artifact';
export type { FakeAws, FakeResponse, FaultPlan, OperationCount, RecordedCall } from './server';

/** The caller's static keys (as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); they belong to the estate's first account. */
export const CALLER_KEYS = { accessKeyId: 'AKIAFAKECALLERKEY001', secretAccessKey: 'fake/secret/key/for/tests' };

export interface FakeAwsOptions extends ServerOptions {
  aggregator?: FakeAggregator;
  deniedRoles?: string[];
  /** Page sizes; the tests' small ones by default. */
  pages?: PageSizes;
  /** How the unsigned (presigned URL) downloads are answered; presignedDownload by default. */
  downloads?: (url: URL) => FakeResponse | undefined;
}

/** Config, STS and Artifact for a test estate, on one local endpoint. */
export function startEstateAws(estate: FakeEstate, options: FakeAwsOptions = {}): Promise<FakeAws> {
  return startDataAws(estateData(estate), options);
}

/** Config, STS and Artifact for any data the fake can serve (a test estate, a whole pack), on one local endpoint. */
export async function startDataAws(data: FakeData, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const pages = options.pages ?? TEST_PAGES;
  const keys = new Map<string, AccessKey>([[CALLER_KEYS.accessKeyId, { accountId: data.accounts[0], secretAccessKey: CALLER_KEYS.secretAccessKey }]]);
  let url = '';
  const services = {
    config: fakeConfig(data, pages, options.aggregator),
    sts: fakeSts(keys, options.deniedRoles),
    artifact: fakeArtifact(data, pages.artifact, () => url),
  };
  const aws = await startFakeAws(services, keys, options.downloads ?? presignedDownload, options);
  url = aws.url;
  return aws;
}
