import { AWS_PAGES, CALLER_KEYS, packData, startDataAws } from '../../test/helpers/fake-aws';
import type { FakeServerRequest, FakeServerMessage, FakeServerSettings } from '../fake-server';

/**
 * The fake AWS for a whole pack, in a process of its own so that the collect process is measured
 * alone. It tells its parent (over IPC) where it listens, answers requests for the calls it was
 * sent, and stops when the parent disconnects. `fake-aws SETTINGS_JSON`.
 */
async function main(settings: FakeServerSettings): Promise<void> {
  const started = performance.now();
  const data = await packData(settings.pack);
  const indexSeconds = (performance.now() - started) / 1000;
  const aws = await startDataAws(data, {
    pages: AWS_PAGES,
    latency: settings.latency,
    rateLimit: settings.rateLimit,
    record: false,
    aggregator: {
      name: settings.aggregator.name,
      accountId: data.accounts[0],
      region: settings.aggregator.region,
      // Every account and Region of the estate is a source whose data is current.
      sources: data.locations.map((l) => ({ accountId: l.accountId, region: l.region, status: 'SUCCEEDED' })),
    },
  });
  const send = (message: FakeServerMessage) => process.send!(message);
  process.on('message', (request: FakeServerRequest) => {
    if (request === 'counts') send({ kind: 'counts', counts: aws.takeCounts() });
  });
  process.on('disconnect', () => void aws.close());
  send({ kind: 'ready', url: aws.url, keys: CALLER_KEYS, caller: data.accounts[0], indexSeconds, rssMB: Math.round(process.memoryUsage.rss() / 2 ** 20) });
}

main(JSON.parse(process.argv[2]) as FakeServerSettings).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
