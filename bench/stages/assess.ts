import { writeFileSync } from 'node:fs';
import { assess } from '../../src/assess/assess';
import { openPack } from '../../src/evidence/reader';
import { builtinCatalog } from '../../src/mapping/catalog';
import { loadMappings } from '../../src/mapping/mappings';
import { runStage, timed } from './stage';

/**
 * Assesses a pack against PROTECTED with the built-in catalog and mappings, and writes the
 * result for the render stages: `assess REPORT PACK RESULT`. Opening the pack (which checks
 * every file's hash) is timed apart from the assessment.
 */
runStage(async ([packDir, resultFile]) => {
  const opened = await timed(() => openPack(packDir));
  const catalog = builtinCatalog();
  const mappings = loadMappings(catalog);
  const { value: result, seconds } = await timed(() => assess({ pack: opened.value, catalog, baseline: 'PROTECTED', mappings }));
  writeFileSync(resultFile, JSON.stringify(result));
  return { seconds, openSeconds: opened.seconds, controls: result.totals.controls };
});
