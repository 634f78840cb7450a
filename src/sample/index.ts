import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PackDescription, PackManifest } from '../evidence/manifest';
import { PackWriter } from '../evidence/writer';
import { BUILTIN_MAPPINGS_DIR } from '../mapping/mappings';
import type { StageOptions } from '../integrity/staged-dir';
import { ARTIFACT_AGREEMENTS, ARTIFACT_REPORTS } from './artifact';
import { writeConfigEvidence, type ConfigSummary } from './config';
import { SCOPE_REGIONS } from './estate';
import { writeManualEvidence } from './manual';
import { checkSampleOptions, type SampleOptions } from './options';
import { COLLECTION_START, iso } from './timeline';

export { DEFAULT_SAMPLE_OPTIONS, type SampleOptions } from './options';

/** The sample agency's mapping files (its approved declarations of not applicable), for `demo`. */
export const SAMPLE_MAPPINGS_DIR = path.join(BUILTIN_MAPPINGS_DIR, 'sample');

const SAMPLE_ORGANISATION = 'Department of Sample Affairs (SAMPLE DATA)';

/**
 * Writes the evidence pack of a fictional agency's AWS estate: realistic enough to demonstrate
 * every report, and byte-for-byte the same for the same options.
 */
export async function generateSamplePack(target: string, options: SampleOptions, stage: StageOptions = {}): Promise<PackManifest> {
  checkSampleOptions(options);
  const writer = await PackWriter.create(target, stage);
  let config: ConfigSummary;
  try {
    config = await writeConfigEvidence(writer, options);
    for (const report of ARTIFACT_REPORTS) await writer.write('artifactReports', report);
    for (const agreement of ARTIFACT_AGREEMENTS) await writer.write('artifactAgreements', agreement);
    await writeManualEvidence(writer, options.seed);
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return writer.commit(describe(options, config));
}

function describe(options: SampleOptions, config: ConfigSummary): PackDescription {
  // A collector pages results at about 200 evaluations a second; the sample's run takes as long.
  const configDone = COLLECTION_START + (150 + Math.ceil(config.evaluations / 200)) * 1000;
  const artifactDone = configDone + 7_000;
  const manualDone = artifactDone + 2_000;
  return {
    packId: packId(options),
    period: options.period,
    sample: true,
    organisation: SAMPLE_ORGANISATION,
    scope: {
      accounts: config.accounts.map((a) => ({ accountId: a.accountId, name: a.name })),
      regions: [...SCOPE_REGIONS],
    },
    collectors: [
      { name: 'config', startedAt: iso(COLLECTION_START), completedAt: iso(configDone) },
      { name: 'artifact', startedAt: iso(configDone), completedAt: iso(artifactDone) },
      { name: 'manual', startedAt: iso(artifactDone), completedAt: iso(manualDone) },
    ],
    startedAt: iso(COLLECTION_START),
    completedAt: iso(manualDone),
    gaps: [],
  };
}

/** UUID-shaped (version 8: derived, not random) from the options, so a regenerated sample keeps its id. */
function packId(options: SampleOptions): string {
  const h = createHash('sha256')
    .update(JSON.stringify(['auditpack-sample', options.seed, options.accounts, options.resourcesPerAccount, options.period]))
    .digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
