import { generateSamplePack } from '../../src/sample';
import { runStage, timed } from './stage';

/** Writes the sample estate's evidence pack: `generate REPORT DIR ACCOUNTS RESOURCES_PER_ACCOUNT`. */
runStage(async ([dir, accounts, resourcesPerAccount]) => {
  const { seconds } = await timed(() => generateSamplePack(dir, { seed: 1, accounts: Number(accounts), resourcesPerAccount: Number(resourcesPerAccount), period: '2026-Q4' }));
  return { seconds };
});
