import { PackWriter } from '../../src/evidence/writer';
import type { EvidenceKind, EvidenceRecord } from '../../src/evidence/kinds';
import type { PackDescription, PackManifest } from '../../src/evidence/manifest';

export const ACCOUNT = '111122223333';
export const REGION = 'ap-southeast-2';

export function description(overrides: Partial<PackDescription> = {}): PackDescription {
  return {
    packId: 'test-pack',
    period: '2026-Q4',
    sample: false,
    organisation: 'Test Agency',
    scope: { accounts: [{ accountId: ACCOUNT, name: 'test' }], regions: [REGION] },
    collectors: [{ name: 'test', startedAt: '2026-11-16T00:00:00Z', completedAt: '2026-11-16T00:01:00Z' }],
    startedAt: '2026-11-16T00:00:00Z',
    completedAt: '2026-11-16T00:01:00Z',
    gaps: [],
    ...overrides,
  };
}

export type PackContent = { [K in EvidenceKind]?: EvidenceRecord<K>[] };

export async function writePack(dir: string, content: PackContent, overrides: Partial<PackDescription> = {}): Promise<PackManifest> {
  const writer = await PackWriter.create(dir);
  for (const [kind, records] of Object.entries(content) as [EvidenceKind, EvidenceRecord<EvidenceKind>[]][]) {
    for (const record of records) await writer.write(kind, record);
  }
  return writer.commit(description(overrides));
}

export const recorder = (accountId = ACCOUNT, region = REGION, recording = true): EvidenceRecord<'recorderStatus'> => ({
  accountId,
  region,
  recorderName: 'default',
  recording,
  lastStatus: recording ? 'SUCCESS' : 'FAILURE',
  lastStatusChangeTime: '2026-11-15T00:00:00Z',
  deliveryChannelName: 'default',
  lastDeliveryStatus: 'SUCCESS',
});

export const rule = (sourceIdentifier: string, accountId = ACCOUNT, region = REGION): EvidenceRecord<'configRules'> => ({
  accountId,
  region,
  ruleName: sourceIdentifier.toLowerCase().replace(/_/g, '-'),
  ruleArn: null,
  sourceOwner: 'AWS',
  sourceIdentifier,
  conformancePack: null,
  inputParameters: {},
  state: 'ACTIVE',
});

export const evaluation = (
  sourceIdentifier: string,
  resourceId: string,
  complianceType: EvidenceRecord<'evaluations'>['complianceType'],
  accountId = ACCOUNT,
  region = REGION,
): EvidenceRecord<'evaluations'> => ({
  accountId,
  region,
  ruleName: sourceIdentifier.toLowerCase().replace(/_/g, '-'),
  resourceType: 'AWS::S3::Bucket',
  resourceId,
  complianceType,
  annotation: complianceType === 'NON_COMPLIANT' ? 'finding' : null,
  resultRecordedTime: '2026-11-15T01:00:00Z',
  configRuleInvokedTime: '2026-11-15T00:59:00Z',
});
