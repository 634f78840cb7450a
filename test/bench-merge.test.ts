import { mergeResults } from '../bench/merge';
import type { BenchResults } from '../bench/run';
import type { CollectStages, ReportStages, SizeResult, StageResult } from '../bench/size';
import { SIZES } from '../bench/sizes';
import { renderTables } from '../bench/table';

/** `npm run bench -- --merge`: a run of some stages added to the results of earlier runs. */
const MACHINE = { cpu: 'cpu', cores: 2, memoryGB: 24, os: 'Linux', node: 'v20.20.2' };
const SETTINGS = { latency: { min: 20, max: 60 }, rateLimit: { rate: 50, burst: 10 } };

const stage = (workSeconds: number, peakNodeMB = 100, details: Record<string, unknown> = {}): StageResult => ({ wallSeconds: workSeconds + 1, workSeconds, peakNodeMB, peakTreeMB: peakNodeMB, details });

const collect = (calls: number): CollectStages => {
  const mode = (m: 'accounts' | 'aggregator') => ({
    mode: m, seconds: 1, peakNodeMB: 100, exitCode: 0, calls, retries: 0, throttles: 0, serverCalls: calls, serverThrottled: 0,
    minimum: calls, overMinimum: 0, offMinimum: [], gaps: 0, throttlingGaps: 0, evaluations: 10,
  });
  return { fakeAws: { indexSeconds: 1, rssMB: 80 }, accounts: mode('accounts'), aggregator: mode('aggregator') };
};

const report = (xlsxSeconds: number): ReportStages => ({
  assess: stage(1, 100, { controls: 992 }),
  render: { pdf: stage(5, 200, { pages: 80 }), xlsx: stage(xlsxSeconds), csv: stage(1), html: stage(1) },
  libraries: { 'csv-stringify': stage(1), exceljs: stage(2), 'exceljs-unstyled': stage(1) },
  ratios: { csv: 1, xlsx: xlsxSeconds / 2, xlsxUnstyled: xlsxSeconds },
});

function size(name: string, groups: Pick<SizeResult, 'collect' | 'report'>): SizeResult {
  return {
    size: SIZES.find((s) => s.name === name)!,
    estate: { accounts: 3, locations: 9, rules: 100, evaluations: name.length * 1000, resources: 10, packMB: 1 },
    generate: stage(1),
    ...groups,
  };
}

function results(date: string, stages: ('collect' | 'report')[], sizes: SizeResult[]): BenchResults {
  return { machine: MACHINE, settings: SETTINGS, runs: [{ finishedAt: date, sizes: sizes.map((s) => s.size.name), stages }], sizes, targets: [] };
}

describe('mergeResults', () => {
  const collected = results('2026-01-01', ['collect'], [size('large', { collect: collect(500), report: null })]);
  const reported = results('2026-01-02', ['report'], [size('small', { collect: null, report: report(3) }), size('large', { collect: null, report: report(4) })]);

  it("keeps the groups the latest run did not measure, in the sizes' order, and checks the targets on the whole", () => {
    const merged = mergeResults(collected, reported);
    expect(merged.sizes.map((s) => s.size.name)).toEqual(['small', 'large']);
    const large = merged.sizes[1];
    expect(large.collect?.accounts?.calls).toBe(500);
    expect(large.report?.render.xlsx.workSeconds).toBe(4);
    expect(merged.runs.map((r) => r.finishedAt)).toEqual(['2026-01-01', '2026-01-02']);
    // Merged the other way round, the runs still list in the order they finished.
    expect(mergeResults(reported, collected).runs.map((r) => r.finishedAt)).toEqual(['2026-01-01', '2026-01-02']);
    const targets = merged.targets.map((t) => `${t.size}: ${t.target}: ${t.met}`);
    expect(targets).toContain('large: XLSX within 1.5x of the exceljs streaming writer alone: false');
    expect(targets).toContain('large: collect (aggregator): API calls within 5% of the minimum: true');
  });

  it('replaces what the latest run measured again', () => {
    const again = results('2026-01-03', ['report'], [size('large', { collect: null, report: report(2) })]);
    const merged = mergeResults(mergeResults(collected, reported), again);
    expect(merged.sizes[1].report?.render.xlsx.workSeconds).toBe(2);
    expect(merged.sizes[1].collect?.accounts?.calls).toBe(500);
    expect(merged.targets.find((t) => t.target.startsWith('XLSX'))).toMatchObject({ size: 'large', met: true });
    // The run of 2026-01-02 still accounts for the small size's report stages.
    expect(merged.runs.map((r) => r.finishedAt)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });

  it('drops the runs whose results were all measured again, and lists the rest in the order they finished', () => {
    const again = results('2026-01-03', ['report'], [size('small', { collect: null, report: report(2) }), size('large', { collect: null, report: report(2) })]);
    const merged = mergeResults(mergeResults(reported, collected), again);
    expect(merged.runs.map((r) => r.finishedAt)).toEqual(['2026-01-01', '2026-01-03']);
  });

  it('keeps the collect scope a run left out (--scopes) from the earlier results, with the runs that measured it', () => {
    const both = collect(500);
    const earlier = results('2026-01-01', ['collect'], [size('large', { collect: { ...both, bulk: { accounts: { ...both.accounts!, calls: 50 }, aggregator: { ...both.aggregator!, calls: 40 } } }, report: null })]);
    const fresh = collect(700);
    const aggregatorOnly = { ...results('2026-01-02', ['collect'], [size('large', { collect: { ...fresh, accounts: null, bulk: { accounts: null, aggregator: { ...fresh.aggregator!, calls: 30 } } }, report: null })]) };
    aggregatorOnly.runs[0].scopes = ['aggregator'];
    const merged = mergeResults(earlier, aggregatorOnly).sizes[0].collect!;
    expect([merged.accounts?.calls, merged.bulk?.accounts?.calls, merged.aggregator?.calls, merged.bulk?.aggregator?.calls]).toEqual([500, 50, 700, 30]);
    // The earlier run still accounts for the per-account figures.
    expect(mergeResults(earlier, aggregatorOnly).runs.map((r) => r.finishedAt)).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('refuses results from another machine, other settings or another estate', () => {
    expect(() => mergeResults({ ...collected, machine: { ...collected.machine, cores: 8 } }, reported)).toThrow(/another machine/);
    expect(() => mergeResults({ ...collected, settings: { ...SETTINGS, latency: { min: 1, max: 5 } } }, reported)).toThrow(/other settings/);
    const otherEstate = { ...collected, sizes: [{ ...collected.sizes[0], estate: { ...collected.sizes[0].estate, evaluations: 1 } }] };
    expect(() => mergeResults(otherEstate, reported)).toThrow(/large estate differs/);
  });

  it('merges a run on the same kind of machine with another kernel build, keeping each run\'s own', () => {
    const rebuilt = { ...reported, machine: { ...MACHINE, os: `${MACHINE.os}-rebuilt` } };
    const merged = mergeResults(collected, rebuilt);
    expect(merged.machine.os).toBe(`${MACHINE.os}-rebuilt`);
    expect(merged.runs.map((r) => r.machine?.os)).toEqual([MACHINE.os, undefined]);
    expect(renderTables(merged)).toContain(`(on ${MACHINE.os})`);
  });
});
