import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ArgumentsCamelCase } from 'yargs';
import type { AssessmentResult } from '../src/assess/result';
import { parseReportOptions, type ReportArgs } from '../src/cli/options';
import type { EvidencePack } from '../src/evidence/reader';
import { digestBytes } from '../src/integrity/files';
import { compareResults } from '../src/assess/diff';
import { loadEarlierReport } from '../src/pipeline/report-folder';
import { packRows, renderReport } from '../src/render/index';
import { CONTROLS, renderResult } from './fixtures/render-result';
import { writeRenderPack } from './fixtures/render-pack';

function argv(extra: Partial<ArgumentsCamelCase<ReportArgs>> = {}): ArgumentsCamelCase<ReportArgs> {
  return { _: [], $0: 'auditpack', format: 'pdf,xlsx,csv,html', baseline: 'PROTECTED', marking: 'OFFICIAL: Sensitive', ...extra } as ArgumentsCamelCase<ReportArgs>;
}

describe('report options', () => {
  test('defaults: no system, no comparison, comma-separated CSV without a BOM', () => {
    expect(parseReportOptions(argv())).toMatchObject({ system: undefined, compare: undefined, csv: { delimiter: ',', bom: false } });
  });

  test('--system, --compare, --csv-delimiter and --csv-bom', () => {
    const options = parseReportOptions(argv({ system: '  Case Management  ', compare: 'reports/q3', csvDelimiter: ';', csvBom: true }));
    expect(options).toMatchObject({ system: 'Case Management', compare: 'reports/q3', csv: { delimiter: ';', bom: true } });
  });

  test.each([
    [',', ','],
    [';', ';'],
    ['|', '|'],
    ['\t', '\t'],
    ['tab', '\t'],
    ['TAB', '\t'],
    ['\\t', '\t'],
    ['semicolon', ';'],
  ])('--csv-delimiter %j is %j', (value, delimiter) => {
    expect(parseReportOptions(argv({ csvDelimiter: value })).csv?.delimiter).toBe(delimiter);
  });

  test.each([
    ['an unsupported delimiter', { csvDelimiter: ':' }, /--csv-delimiter: ":" is not a supported delimiter/],
    ['a quote as delimiter', { csvDelimiter: '"' }, /--csv-delimiter: """ is not a supported delimiter/],
    ['an empty delimiter', { csvDelimiter: '' }, /--csv-delimiter: "" is not a supported delimiter/],
    ['the removed --csv-profile', { csvProfile: 'ciso-assistant' }, /--csv-profile: removed; .*--format ciso-assistant/],
    ['an empty system name', { system: '   ' }, /--system: must not be empty/],
    ['a system name over 200 characters', { system: 'x'.repeat(201) }, /--system: longer than 200 characters/],
    ['an empty --compare', { compare: ' ' }, /--compare: no folder given/],
    ['--csv-bom without CSV', { format: 'pdf', csvBom: true }, /--csv-bom: applies to CSV output, but --format does not include csv/],
    ['--csv-delimiter without CSV', { format: 'xlsx', csvDelimiter: ';' }, /--csv-delimiter: applies to CSV output/],
  ])('%s is refused', (_label, extra, message) => {
    expect(() => parseReportOptions(argv(extra as Partial<ArgumentsCamelCase<ReportArgs>>))).toThrow(message);
  });
});

describe('--compare', () => {
  let base: string;
  let pack: EvidencePack;
  let result: AssessmentResult;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'auditpack-compare-'));
    pack = await writeRenderPack(path.join(base, 'pack'));
    result = renderResult(pack);
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  /** An earlier report folder as `auditpack report` writes one: the result and a manifest hashing it. */
  async function earlierReport(name: string, earlier: unknown, manifestFormat = 'auditpack/report'): Promise<string> {
    const dir = path.join(base, name);
    await mkdir(dir);
    const text = `${JSON.stringify(earlier, null, 2)}\n`;
    await writeFile(path.join(dir, 'assessment-result.json'), text);
    const files = [{ path: 'assessment-result.json', ...digestBytes(text), records: null }];
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ format: manifestFormat, formatVersion: 1, files }));
    return dir;
  }

  /** Last quarter: one account fewer, one region more, no abstracted services, and two statuses different. */
  function lastQuarter(): AssessmentResult {
    return {
      ...result,
      pack: {
        ...result.pack,
        packId: 'pack-2025-Q4',
        manifestSha256: 'a'.repeat(64),
        period: '2025-Q4',
        scope: { accounts: [result.pack.scope.accounts[0]], regions: [...result.pack.scope.regions, 'us-west-2'] },
      },
      servicesInUse: [result.servicesInUse[0]],
      controls: [
        ...CONTROLS.map((c) => (c.id === 'ism-0974' ? { ...c, status: 'compliant' as const } : c.id === 'ism-1405' ? { ...c, status: 'non-compliant' as const } : c)),
        { ...CONTROLS[1], id: 'ism-9999', status: 'not-assessed' as const },
      ],
    };
  }

  test('finds the changes in scope and status', async () => {
    const dir = await earlierReport('q4', lastQuarter());
    const changes = compareResults(result, await loadEarlierReport(dir));
    expect(changes.earlier).toMatchObject({ packId: 'pack-2025-Q4', period: '2025-Q4', dir });
    expect(changes.accounts.added.map((a) => a.accountId)).toEqual([result.pack.scope.accounts[1].accountId]);
    expect(changes.accounts.removed).toEqual([]);
    expect(changes.regions).toEqual({ added: [], removed: ['us-west-2'] });
    expect(changes.categories).toEqual({ added: ['abstracted'], removed: [] });
    expect(changes.resourceTypes.added).toEqual(['AWS::IAM::User', 'AWS::S3::Bucket']);
    expect(changes.controls).toEqual([
      { id: 'ism-0974', earlier: 'compliant', current: 'non-compliant' },
      { id: 'ism-1405', earlier: 'non-compliant', current: 'insufficient-evidence' },
      { id: 'ism-9999', earlier: 'not-assessed', current: null },
    ]);
    expect(changes.nowNeedAttention.map((c) => c.id)).toEqual(['ism-0974']);
    expect(changes.noLongerNeedAttention).toEqual([]);
  });

  test('compares with a version 1 result, reading only the fields every version has', async () => {
    const { pack: p, ...rest } = lastQuarter();
    const v1 = { ...rest, formatVersion: 1, pack: { ...p, files: undefined, location: undefined }, recorders: undefined };
    const changes = compareResults(result, await loadEarlierReport(await earlierReport('q4-v1', v1)));
    expect(changes.controls.map((c) => c.id)).toEqual(['ism-0974', 'ism-1405', 'ism-9999']);
  });

  test('renders the changes in the report and the Changes table', async () => {
    const earlier = await loadEarlierReport(await earlierReport('q4-render', lastQuarter()));
    const out = path.join(base, 'with-changes');
    await mkdir(out);
    await renderReport(result, await packRows(result, pack.dir), out, { formats: ['html', 'csv'], marking: 'PROTECTED' }, { earlier });
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('No earlier report was given');
    expect(html).toContain('Changes since the earlier report');
    expect(html).toContain('pack-2025-Q4');
    expect(html).toMatch(/3 controls changed status \(or are in only one of the two assessments\): 1 now need attention that did not before, and 0 no longer need attention/);
    const rows = parse(await readFile(path.join(out, 'csv', 'changes.csv')), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: 'account', item: result.pack.scope.accounts[1].accountId, change: 'added', earlier: '', current: '' },
        { kind: 'region', item: 'us-west-2', change: 'removed', earlier: '', current: '' },
        { kind: 'service_category', item: 'abstracted', change: 'added', earlier: '', current: '' },
        { kind: 'control', item: 'ism-0974', change: 'changed', earlier: 'compliant', current: 'non-compliant' },
        { kind: 'control', item: 'ism-9999', change: 'removed', earlier: 'not-assessed', current: '' },
      ]),
    );
    const summary = parse(await readFile(path.join(out, 'csv', 'summary.csv')), { columns: true }) as Record<string, string>[];
    expect(summary.find((r) => r.item === 'Compared with pack id')!.value).toBe('pack-2025-Q4');
  });

  test('refuses a folder that is not a report, a result changed after it was written, and a newer format', async () => {
    await expect(loadEarlierReport(path.join(base, 'nowhere'))).rejects.toThrow(/^--compare: .*nowhere.*manifest\.json: not found/);
    await expect(loadEarlierReport(await earlierReport('a-pack', lastQuarter(), 'auditpack/evidence-pack'))).rejects.toThrow(/--compare: .* is not an auditpack report folder/);
    const tampered = await earlierReport('tampered', lastQuarter());
    await writeFile(path.join(tampered, 'assessment-result.json'), JSON.stringify({ ...lastQuarter(), baseline: 'SECRET' }));
    await expect(loadEarlierReport(tampered)).rejects.toThrow(/does not match the SHA-256 in .*manifest\.json; it changed after the report was written/);
    await expect(loadEarlierReport(await earlierReport('newer', { ...lastQuarter(), formatVersion: 3 }))).rejects.toThrow(/assessment result version 3 is newer than this auditpack reads \(2\)/);
    const broken = { ...lastQuarter(), controls: [{ ...CONTROLS[0], status: 'great' }] };
    await expect(loadEarlierReport(await earlierReport('broken', broken))).rejects.toThrow(/^--compare: .*assessment-result\.json: not a valid assessment result: \$\.controls\[0\]\.status: must be equal to one of the allowed values/);
    // Version 1 results are still compared, on the fields every version has.
    await expect(loadEarlierReport(await earlierReport('broken-v1', { ...broken, formatVersion: 1 }))).rejects.toThrow(/--compare: .*assessment-result\.json: controls\.0\.status: /);
  });
});
