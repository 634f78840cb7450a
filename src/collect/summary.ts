import { EVIDENCE_KINDS, EVIDENCE_KIND_NAMES } from '../evidence/kinds';
import type { PackManifest } from '../evidence/manifest';
import { describeGap } from './progress';

/** What collect prints when it is done: where the pack is, what it holds, what is missing. */
export function describeCollection(dir: string, manifest: PackManifest, notes: string[]): string {
  const records = new Map(manifest.files.map((f) => [f.path, f.records]));
  const counts = EVIDENCE_KIND_NAMES.map((kind) => `${kind} ${records.get(EVIDENCE_KINDS[kind].file) ?? 0}`).join(', ');
  const attachments = manifest.files.filter((f) => f.records === null).length;
  const byService = new Map<string, { calls: number; retries: number; throttles: number }>();
  for (const c of manifest.apiCalls ?? []) {
    const total = byService.get(c.service) ?? { calls: 0, retries: 0, throttles: 0 };
    byService.set(c.service, { calls: total.calls + c.calls, retries: total.retries + c.retries, throttles: total.throttles + c.throttles });
  }
  const calls = [...byService].map(([service, t]) => `${service} ${t.calls} (${t.retries} retried, ${t.throttles} throttled)`).join(', ');
  return [
    `Evidence pack written to ${dir}: ${manifest.scope.accounts.length} account(s), ${manifest.scope.regions.length} Region(s)`,
    `  records: ${counts}; attachments ${attachments}`,
    `  API calls: ${calls || 'none'}`,
    ...notes.map((n) => `  note: ${n}`),
    manifest.gaps.length ? `  ${manifest.gaps.length} gap(s), evidence that could not be collected:` : '  no gaps',
    ...manifest.gaps.map((g) => `    ${describeGap(g)}`),
  ].join('\n');
}
