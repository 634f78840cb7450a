import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../src/assess/assess';
import { openPack } from '../src/evidence/reader';
import { builtinCatalog } from '../src/mapping/catalog';
import { loadMappings } from '../src/mapping/mappings';
import { DEFAULT_SAMPLE_OPTIONS, generateSamplePack } from '../src/sample';
import { useTempDir } from './helpers/tmp';

/**
 * The default sample estate's PROTECTED assessment, pinned. A change to the sample, the
 * mappings or the status rules shows up here as a reviewable diff; after reviewing it, refresh
 * with `UPDATE_GOLDEN=1 npx jest test/golden.test.ts`.
 */
const GOLDEN = path.join(__dirname, 'golden', 'sample-protected.json');
const tmp = useTempDir();

it('the sample estate assesses to the pinned statuses', async () => {
  const dir = path.join(tmp(), 'sample');
  await generateSamplePack(dir, DEFAULT_SAMPLE_OPTIONS);
  const catalog = builtinCatalog();
  const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings: loadMappings(catalog) });
  const actual = {
    totals: result.totals,
    dataResidency: { ...result.dataResidency, resources: result.dataResidency.resources.map((r) => `${r.accountId}/${r.region}/${r.resourceId}`) },
    controls: Object.fromEntries(result.controls.map((c) => [c.id, `${c.status} | ${c.responsibility} | ${c.rationale}`])),
  };
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 1)}\n`);
  expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
});
