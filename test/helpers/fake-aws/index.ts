import { fakeArtifact, presignedDownload } from './artifact';
import { fakeConfig, type FakeAggregator } from './config';
import type { FakeEstate } from './estate';
import { startFakeAws, type AccessKey, type FakeAws, type FaultPlan } from './server';
import { fakeSts } from './sts';

export { sampleEstate, ruleCompliance, FAKE_REGIONS, type FakeEstate } from './estate';
export { PAGE, type FakeAggregator } from './config';
export { reportFile } from './artifact';
export type { FakeAws, FaultPlan, RecordedCall } from './server';

/** The caller's static keys (as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); they belong to the estate's first account. */
export const CALLER_KEYS = { accessKeyId: 'AKIAFAKECALLERKEY001', secretAccessKey: 'fake/secret/key/for/tests' };

export interface FakeAwsOptions {
  aggregator?: FakeAggregator;
  deniedRoles?: string[];
  faults?: FaultPlan;
}

/** Config, STS and Artifact for `estate`, on one local endpoint. */
export async function startEstateAws(estate: FakeEstate, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const keys = new Map<string, AccessKey>([[CALLER_KEYS.accessKeyId, { accountId: estate.accounts[0], secretAccessKey: CALLER_KEYS.secretAccessKey }]]);
  let url = '';
  const services = {
    config: fakeConfig(estate, options.aggregator),
    sts: fakeSts(keys, options.deniedRoles),
    artifact: fakeArtifact(estate, () => url),
  };
  const aws = await startFakeAws(services, keys, presignedDownload, options.faults);
  url = aws.url;
  return aws;
}
