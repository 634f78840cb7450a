import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assess } from '../src/assess/assess';
import type { CitedEvaluation } from '../src/assess/result';
import { openPack } from '../src/evidence/reader';
import { builtinCatalog } from '../src/mapping/catalog';
import { loadMappings } from '../src/mapping/mappings';
import { ACCOUNT, evaluation, recorder, rule, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();
const catalog = builtinCatalog();
const mappings = loadMappings(catalog);
const PUBLIC_READ = 'S3_BUCKET_PUBLIC_READ_PROHIBITED';
const MELBOURNE = 'ap-southeast-4';

/** The record on a 1-based line of a pack file. */
async function recordAt(dir: string, file: string, line: number): Promise<Record<string, unknown>> {
  const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n');
  return JSON.parse(lines[line - 1]);
}

const citedFields = ({ file: _file, line: _line, ...fields }: CitedEvaluation) => fields;

describe('evidence traced to the record', () => {
  async function assessed(name: string, content: Parameters<typeof writePack>[1]) {
    const dir = path.join(tmp(), name);
    await writePack(dir, content, { scope: { accounts: [{ accountId: ACCOUNT, name: 'test' }], regions: ['ap-southeast-2', MELBOURNE] } });
    const result = await assess({ pack: await openPack(dir), catalog, baseline: 'PROTECTED', mappings });
    return { dir, control: (id: string) => result.controls.find((c) => c.id === id)! };
  }

  it('names the mapping, deployments and parameters of each rule, and cites evaluations by file and line', async () => {
    const bucket = (id: string, type: Parameters<typeof evaluation>[2], region?: string) => evaluation(PUBLIC_READ, id, type, ACCOUNT, region);
    const { dir, control } = await assessed('traced', {
      recorderStatus: [recorder(), recorder(ACCOUNT, MELBOURNE)],
      configRules: [
        { ...rule(PUBLIC_READ), conformancePack: 'acsc-ism-pack' },
        { ...rule(PUBLIC_READ, ACCOUNT, MELBOURNE), inputParameters: { excludedBuckets: 'logs' } },
        rule('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'),
      ],
      evaluations: [
        evaluation('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'b1', 'COMPLIANT'),
        bucket('b1', 'COMPLIANT'),
        // Compliant first, then failed by a later evaluation: no longer a compliant resource to cite.
        bucket('b2', 'COMPLIANT'),
        bucket('b2', 'NON_COMPLIANT'),
        bucket('b3', 'NON_COMPLIANT', MELBOURNE),
        bucket('b4', 'COMPLIANT', MELBOURNE),
      ],
    });

    const deciding = control('ism-1852').evidence;
    expect(deciding.supportingRules).toEqual([]);
    const [read] = deciding.rules.filter((r) => r.sourceIdentifier === PUBLIC_READ);
    expect(read.mapping).toMatchObject({ role: 'decides', provenance: 'aws-pack', rationale: expect.stringContaining('Public read access exposes stored data to anyone.') });
    // The cited source is the mapping entry itself: its first line, under the identifier, then the rationale.
    const [file, line] = read.mapping.source.split(':');
    expect(file).toBe('mappings/config-rules.yaml');
    const yaml = (await readFile(path.join(__dirname, '..', file), 'utf8')).split('\n');
    expect(yaml[Number(line) - 2].trim()).toBe(`${PUBLIC_READ}:`);
    expect(yaml.slice(Number(line) - 1, Number(line) + 3).join('\n')).toContain(read.mapping.rationale.slice(0, 60));

    expect(read).toMatchObject({ deployments: 2, conformancePacks: ['acsc-ism-pack'], conformancePacksTotal: 1, parameterSetsTotal: 2 });
    expect(read.parameterSets.map((p) => p.parameters)).toEqual(expect.arrayContaining([{}, { excludedBuckets: 'logs' }]));
    expect(read.parameterSets.find((p) => p.parameters.excludedBuckets)!.where).toEqual([{ accountId: ACCOUNT, region: MELBOURNE, ruleName: 's3-bucket-public-read-prohibited', conformancePack: null }]);

    expect(read.cited.failing.map((c) => [c.resourceId, c.line])).toEqual([
      ['b2', 4],
      ['b3', 5],
    ]);
    expect(read.cited.compliant.map((c) => [c.resourceId, c.line])).toEqual([
      ['b1', 2],
      ['b4', 6],
    ]);
    // Every citation is exact: the pack file holds the cited evaluation on the cited line.
    for (const cited of [...read.cited.failing, ...read.cited.compliant, ...deciding.findings]) {
      const record = await recordAt(dir, cited.file, cited.line);
      expect(record).toMatchObject('complianceType' in cited ? citedFields(cited) : { resourceId: cited.resourceId, ruleName: cited.ruleName, resultRecordedTime: cited.resultRecordedTime });
    }
    expect(deciding.findings.map((f) => [f.resourceId, f.file, f.line])).toEqual([
      ['b2', 'config/evaluations.jsonl', 4],
      ['b3', 'config/evaluations.jsonl', 5],
    ]);

    // ism-1985 is only supported by the rule: shown, marked, and deciding nothing.
    const supported = control('ism-1985');
    expect(supported.evidence.rules.map((r) => r.sourceIdentifier)).not.toContain(PUBLIC_READ);
    expect(supported.evidence.supportingRules.map((r) => [r.sourceIdentifier, r.mapping.role])).toEqual([[PUBLIC_READ, 'supports']]);
    expect(supported.evidence.findingsTotal).toBe(0);
    expect(supported.status).not.toBe('non-compliant');
  });

  it('keeps citations bounded however many evaluations a rule has', async () => {
    const many = Array.from({ length: 400 }, (_, i) => evaluation(PUBLIC_READ, `b${i}`, i % 2 ? 'NON_COMPLIANT' : 'COMPLIANT'));
    const { dir, control } = await assessed('bounded', { recorderStatus: [recorder()], configRules: [rule(PUBLIC_READ)], evaluations: many });
    const [read] = control('ism-1852').evidence.rules;
    expect(read.counts).toMatchObject({ COMPLIANT: 200, NON_COMPLIANT: 200 });
    expect(read.cited.failing).toHaveLength(25);
    expect(read.cited.compliant).toHaveLength(3);
    const last = read.cited.failing[24];
    expect(await recordAt(dir, last.file, last.line)).toMatchObject(citedFields(last));
  });
});
