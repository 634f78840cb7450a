import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { useTempDir } from './helpers/tmp';

/** `auditpack diff` through the compiled CLI (`npm run build` first). */
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'auditpack.js');
const SAMPLE_MAPPINGS = path.join(ROOT, 'mappings', 'sample');
const tmp = useTempDir('auditpack-diff-');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]) {
  const r = run('diff', ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/** Every field path of a JSON value, arrays as `[]`: what docs/diff.md must describe. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${prefix ? '.' : ''}${k}`, ...paths(v, `${prefix}${prefix ? '.' : ''}${k}`)]);
}

/** The field names docs/diff.md's table names, in backticks in its first column. */
function documentedNames(): Set<string> {
  const doc = readFileSync(path.join(ROOT, 'docs', 'diff.md'), 'utf8');
  const names = new Set<string>();
  for (const row of doc.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const cell of row.split('|').slice(1, 3)) for (const m of cell.matchAll(/[{,]\s*([a-zA-Z0-9]+)|`([a-zA-Z0-9.]+)`/g)) for (const n of (m[1] ?? m[2]).split('.')) names.add(n);
  }
  return names;
}

const A = () => path.join(tmp(), 'A');
const B = () => path.join(tmp(), 'B');

beforeAll(() => {
  for (const [out, seed] of [[A(), '1'], [B(), '2']]) {
    const r = run('demo', '--seed', seed, '--out', out, '--format', 'csv', '--quiet');
    expect(r.code).toBe(0);
  }
}, 300_000);

describe('auditpack diff', () => {
  it('lists status changes and findings new and resolved between two demo seeds', () => {
    const r = run('diff', path.join(A(), 'report'), path.join(B(), 'report'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = json(path.join(A(), 'report'), path.join(B(), 'report'));
    expect(d.controls.length).toBeGreaterThan(0);
    const changed = d.controls[0];
    expect(r.stdout).toContain(`Controls changed: ${d.controls.length}`);
    expect(r.stdout).toMatch(new RegExp(`${changed.id}\\s+${changed.status.old} -> ${changed.status.new}`));
    expect(d.findings.new.length).toBeGreaterThan(0);
    expect(d.findings.resolved.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`${d.findings.new.length} new, ${d.findings.resolved.length} resolved, ${d.findings.persisting.length} persisting`);
    // Every finding of NEW is either new or persisting, never counted twice.
    const key = (f: Record<string, string | null>) => [f.sourceIdentifier, f.accountId, f.region, f.resourceType, f.resourceId].join('|');
    const again = json(path.join(B(), 'report'), path.join(A(), 'report'));
    expect(again.findings.new.map(key)).toEqual(d.findings.resolved.map(key));
    expect(again.findings.persisting.length).toBe(d.findings.persisting.length);
    expect(d.findings.new[0].controlIds.length).toBeGreaterThan(0);
  }, 120_000);

  it('gives the same diff for two report folders as for their packs', () => {
    const strip = (d: { old: object; new: object }) => ({ ...d, old: { ...d.old, dir: null, source: null }, new: { ...d.new, dir: null, source: null } });
    const reports = json(path.join(A(), 'report'), path.join(B(), 'report'));
    const packs = json(path.join(A(), 'evidence'), path.join(B(), 'evidence'), '--mappings', SAMPLE_MAPPINGS);
    expect(packs.old.source).toBe('pack');
    expect(reports.old.source).toBe('report');
    expect(strip(packs)).toEqual(strip(reports));
  }, 120_000);

  it('prints JSON with only the documented fields', () => {
    const d = json(path.join(A(), 'report'), path.join(B(), 'report'));
    expect(d.format).toBe('auditpack/diff');
    expect(d.formatVersion).toBe(1);
    const documented = documentedNames();
    const undocumented = [...new Set(paths(d).map((p) => p.replace(/\[\]/g, '').split('.').pop()!))].filter((n) => !documented.has(n));
    expect(undocumented).toEqual([]);
    for (const f of ['accounts', 'regions', 'rules', 'processChecks']) expect(Object.keys(d.scope[f]).sort()).toEqual(['added', 'removed']);
    expect(Object.keys(d.attestations).sort()).toEqual(['expired', 'new', 'removed', 'renewed']);
  }, 120_000);

  it('finds no changes between identical inputs', () => {
    const d = json(path.join(A(), 'report'), path.join(A(), 'evidence'), '--mappings', SAMPLE_MAPPINGS);
    expect(d.controls).toEqual([]);
    expect(d.findings.new).toEqual([]);
    expect(d.findings.resolved).toEqual([]);
    expect(d.findings.persisting.length).toBeGreaterThan(0);
    expect(Object.values(d.attestations).flat()).toEqual([]);
    expect(Object.values(d.scope).flatMap((s) => [...(s as { added: unknown[] }).added, ...(s as { removed: unknown[] }).removed])).toEqual([]);
    for (const s of d.statusTotals) expect(s.current).toBe(s.earlier);
  }, 120_000);

  it('refuses bad input in one line, exit 1', () => {
    const missing = run('diff', path.join(tmp(), 'nowhere'), path.join(A(), 'report'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('diff OLD');

    const baseline = run('diff', path.join(A(), 'report'), path.join(B(), 'report'), '--baseline', 'SECRET');
    expect(baseline.code).toBe(1);
    expect(baseline.stderr).toMatch(/^auditpack: --baseline: SECRET, but the report .* assessed the PROTECTED baseline/);

    const ignored = run('diff', path.join(A(), 'report'), path.join(B(), 'report'), '--mappings', SAMPLE_MAPPINGS);
    expect(ignored.code).toBe(1);
    expect(ignored.stderr).toBe('auditpack: --mappings: applies to assessing a pack, but OLD and NEW are both report folders\n');

    // A report folder moved away from its pack: the findings cannot be read, so no diff.
    const moved = path.join(tmp(), 'moved', 'report');
    cpSync(path.join(B(), 'report'), moved, { recursive: true });
    const r = run('diff', path.join(A(), 'report'), moved);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/diff NEW: the evidence pack .* is not at /);
  }, 120_000);
});
