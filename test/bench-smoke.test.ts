import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchResults } from '../bench/run';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

/**
 * The benchmark's small size end to end, as `npm run bench -- --smoke` runs it: every stage is
 * measured, and collect makes at least the minimum of calls and is never stopped by
 * throttling. Structure and sanity only: how fast this machine is is not a test.
 */
const ROOT = path.join(__dirname, '..');
const tmp = useTempDir('auditpack-bench-smoke-');

const run = (command: string, args: string[]) => runProcess(command, args, { cwd: ROOT });

let results: BenchResults;
let table: string;

beforeAll(async () => {
  // Emptied first, as `npm run bench` does: a module that became a folder would leave its old .js to shadow the folder.
  rmSync('dist-bench', { recursive: true, force: true });
  const compiled = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json']);
  expect(compiled).toMatchObject({ code: 0, stdout: '' });
  const bench = await run(process.execPath, ['dist-bench/bench/run.js', '--smoke', '--results', path.join(tmp(), 'results.json'), '--work', tmp()]);
  if (bench.code !== 0) throw new Error(`the benchmark failed:\n${bench.stderr}`);
  table = bench.stdout;
  results = JSON.parse(readFileSync(path.join(tmp(), 'results.json'), 'utf8')) as BenchResults;
}, 600_000);

describe('npm run bench -- --smoke', () => {
  it('measures every stage of the small estate, in processes that ran', () => {
    expect(results.sizes.map((s) => s.size.name)).toEqual(['small']);
    const [small] = results.sizes;
    const report = small.report!;
    expect(small.estate.evaluations).toBeGreaterThan(5000);
    const stages = [small.generate, report.assess, ...Object.values(report.render), ...Object.values(report.libraries)];
    expect(stages).toHaveLength(9);
    for (const stage of stages) {
      expect(stage.wallSeconds).toBeGreaterThan(0);
      expect(stage.workSeconds).toBeGreaterThan(0);
      expect(stage.workSeconds).toBeLessThanOrEqual(stage.wallSeconds);
      expect(stage.peakNodeMB).toBeGreaterThan(0);
    }
    // Chromium's processes count in the PDF stage's tree.
    expect(report.render.pdf.peakTreeMB).toBeGreaterThan(report.render.pdf.peakNodeMB);
    expect(report.render.pdf.details.pages).toBeGreaterThan(0);
    // Each library wrote the rows the CSV render wrote: every evaluation, every resource and more.
    const rows = Object.values(report.libraries).map((w) => w.details.rows);
    expect(rows).toEqual(rows.map(() => report.render.csv.details.rows));
    expect(rows[0]).toBeGreaterThan(small.estate.evaluations + small.estate.resources);
    for (const ratio of Object.values(report.ratios)) expect(ratio).toBeGreaterThan(0);
  });

  it('collects per account and through the aggregator, per rule and in bulk, never below the minimum and never cut short by throttling', () => {
    const collect = results.sizes[0].collect!;
    for (const c of [collect.accounts!, collect.aggregator!, collect.bulk!.accounts!, collect.bulk!.aggregator!]) {
      expect(c.exitCode).toBe(0);
      expect(c.calls - c.retries).toBeGreaterThanOrEqual(c.minimum);
      expect(c.throttlingGaps).toBe(0);
      // The fake AWS received what the pack's ledger counts, but for requests that never reached it
      // (a connection reset on a busy machine), each of which the ledger counts as a retry that AWS did not throttle.
      expect(c.serverCalls).toBeLessThanOrEqual(c.calls);
      expect(c.calls - c.serverCalls).toBeLessThanOrEqual(c.retries - c.throttles);
      expect(c.serverThrottled).toBe(c.throttles);
      expect(c.evaluations).toBeGreaterThan(0);
    }
  });

  it('reads the same evaluations in bulk as per rule, in fewer calls', () => {
    const { accounts: a, aggregator: g, bulk: inBulk } = results.sizes[0].collect!;
    const [accounts, aggregator] = [a!, g!];
    const bulk = { accounts: inBulk!.accounts!, aggregator: inBulk!.aggregator! };
    expect([bulk!.accounts.path, bulk!.aggregator.path, accounts.path, aggregator.path]).toEqual(['bulk', 'bulk', 'per-rule', 'per-rule']);
    expect(bulk!.accounts.evaluations).toBe(accounts.evaluations);
    expect(bulk!.aggregator.evaluations).toBe(aggregator.evaluations);
    expect(bulk!.accounts.calls).toBeLessThan(accounts.calls);
    expect(bulk!.aggregator.calls).toBeLessThan(aggregator.calls);
    expect(table).toContain('| collect, aggregator, bulk |');
    expect(results.targets.map((t) => t.target)).toContain('collect (aggregator): bulk makes at least 10x fewer calls than per rule');
  });

  it('prints the tables and records the machine and the targets', () => {
    expect(table).toContain('### small: 3 accounts');
    expect(table).toContain('### Targets');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.targets.map((t) => t.target)).toContain('PDF under 300 pages');
  });
});
