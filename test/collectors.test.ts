import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiCallLedger } from '../src/collect/api-calls';
import { artifactCollector } from '../src/collect/artifact';
import type { ClientSettings } from '../src/collect/clients';
import type { Collector } from '../src/collect/collector';
import { configAccountsCollector } from '../src/collect/config-account';
import { configAggregatorCollector } from '../src/collect/config-aggregator';
import { EvaluationPaths } from '../src/collect/evaluation-paths';
import { Limits } from '../src/collect/limits';
import { loadManualEvidence, manualCollector } from '../src/collect/manual';
import { createProgress } from '../src/collect/progress';
import { CollectionRun } from '../src/collect/run';
import type { AccountTarget } from '../src/collect/scope';
import type { EvidenceKind } from '../src/evidence/kinds';
import { PackWriter } from '../src/evidence/writer';
import { CALLER_KEYS, FAKE_REGIONS, sampleEstate, startEstateAws, type FakeAws, type FakeEstate } from './helpers/fake-aws';
import { useTempDir } from './helpers/tmp';

/**
 * Each collector declares the evidence kinds it writes, and a reader of a pack may rely on
 * that: run against the fake AWS, every collector writes exactly the kinds it declares.
 */
const tmp = useTempDir('auditpack-collectors-');
const credentials = async () => ({ ...CALLER_KEYS });

let estate: FakeEstate;
let plain: FakeAws;
let aggregated: FakeAws;
beforeAll(async () => {
  estate = await sampleEstate(tmp());
  plain = await startEstateAws(estate);
  const home = estate.accounts[0];
  aggregated = await startEstateAws(estate, {
    aggregator: { name: 'org', accountId: home, region: 'ap-southeast-2', sources: FAKE_REGIONS.map((region) => ({ accountId: home, region, status: 'SUCCEEDED' as const })) },
  });
}, 120_000);
afterAll(() => Promise.all([plain?.close(), aggregated?.close()]));

const settings = (aws: FakeAws): ClientSettings => ({ endpointUrl: aws.url, maxAttempts: 2, requestTimeoutMs: 60_000, ledger: new ApiCallLedger() });
const caller = (): AccountTarget => ({ accountId: estate.accounts[0], credentials });
const reading = () => ({ mode: 'per-rule' as const, paths: new EvaluationPaths() });

/** The kinds a collector wrote into a real (then discarded) pack. */
async function kindsWritten(collector: Collector, name: string): Promise<Set<EvidenceKind>> {
  const writer = await PackWriter.create(path.join(tmp(), `pack-${name}`));
  const written = new Set<EvidenceKind>();
  const write = writer.write.bind(writer);
  writer.write = async (kind, record) => {
    written.add(kind);
    return write(kind, record);
  };
  try {
    const run = new CollectionRun(writer, new ApiCallLedger(), new Limits(2), createProgress(true));
    await collector.collect(run.for(collector));
    expect(run.gaps).toEqual([]);
  } finally {
    await writer.abort();
  }
  return written;
}

function manualEvidence(): string {
  const dir = path.join(tmp(), 'manual');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'note.txt'), 'signed register\n');
  writeFileSync(
    path.join(dir, 'ATT-1.yaml'),
    'kind: attestation\nid: ATT-1\ncontrolIds: [ism-0252]\nstatement: Training is recorded.\nattester: Sam\nattestedOn: 2026-08-29\nvalidUntil: 2027-08-31\nattachments:\n  - path: note.txt\n',
  );
  writeFileSync(
    path.join(dir, 'RA-1.yaml'),
    'kind: risk-acceptance\nid: RA-1\ncontrolIds: [ism-0974]\nowner: Chris\nrationale: The vendor tool cannot do MFA.\napprovedBy: Alex\napprovedOn: 2026-06-30\nexpiresOn: 2027-03-31\n',
  );
  return dir;
}

describe('each collector writes exactly the evidence kinds it declares', () => {
  const cases: [string, () => Collector][] = [
    ['config (accounts)', () => configAccountsCollector(settings(plain), [caller()], FAKE_REGIONS, reading())],
    ['config-aggregator', () => configAggregatorCollector(settings(aggregated), caller(), { name: 'org', region: 'ap-southeast-2' }, FAKE_REGIONS, reading())],
    ['artifact', () => artifactCollector(settings(plain), caller(), null)],
    ['manual', () => manualCollector(loadManualEvidence(manualEvidence()))],
  ];
  it.each(cases)('%s', async (name, make) => {
    const collector = make();
    const written = await kindsWritten(collector, name.replace(/\W+/g, '-'));
    expect([...written].sort()).toEqual([...collector.writes].sort());
  }, 120_000);
});

describe('a collector\'s run', () => {
  it('refuses a record of a kind the collector does not declare', async () => {
    const writer = { write: jest.fn(async () => undefined) } as unknown as PackWriter;
    const run = new CollectionRun(writer, new ApiCallLedger(), new Limits(1), createProgress(true));
    const collector: Collector = { name: 'artifact', writes: ['artifactReports'], collect: async () => ({ notes: [] }) };
    const scoped = run.for(collector);
    const agreement = { id: 'a', name: 'n', type: 'DEFAULT', state: 'ACTIVE', effectiveStart: null, effectiveEnd: null } as never;
    expect(() => scoped.write('artifactAgreements', agreement)).toThrow('collector artifact wrote artifactAgreements records, which it does not declare (it declares artifactReports)');
    expect(writer.write).not.toHaveBeenCalled();
    // Gaps found through a collector's run are the collection's.
    scoped.recordGap({ collector: 'artifact', service: 'artifact', operation: 'ListReports', accountId: null, region: null, errorCode: 'X', message: 'm' });
    expect(run.gaps).toHaveLength(1);
  });
});
