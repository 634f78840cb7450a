import { num, statusView } from './format';
import type { ReportInput } from './input';
import type { GuidelineGroup } from './outline';

/** Report references (A1, A2, ...) so that each inherited control can cite its reports in a few characters. */
export function reportRefs(input: ReportInput): Map<string, string> {
  const refs = new Map<string, string>();
  for (const r of input.result.artifactReports) refs.set(r.id, `A${refs.size + 1}`);
  // Reports the result names but the pack no longer lists cannot happen for a matching pack; number them anyway.
  for (const c of input.result.controls) for (const r of c.evidence.reports) if (!refs.has(r.id)) refs.set(r.id, `A${refs.size + 1}`);
  return refs;
}

export function inheritedView(input: ReportInput, refs: Map<string, string>, tree: GuidelineGroup[]) {
  const sectionNumber = new Map(tree.flatMap((g) => g.sections.flatMap((s) => s.controls.map((c) => [c.id, s.number] as const))));
  const { result } = input;
  const inherited = result.controls.filter((c) => c.responsibility === 'inherited');
  return {
    count: num(inherited.length),
    evidenced: num(inherited.filter((c) => c.status === 'inherited-evidenced').length),
    reports: result.artifactReports.map((r) => ({
      ref: refs.get(r.id),
      name: r.name,
      series: r.series,
      version: r.version,
      period: r.period ? `${r.period.start} to ${r.period.end}` : 'no period stated',
      state: r.state === 'PUBLISHED' ? 'Published' : 'Not published',
      file: r.attachmentSha256,
      controls: num(r.evidences.length),
    })),
    controls: inherited.map((c) => ({
      id: c.id,
      section: c.section,
      sectionNumber: sectionNumber.get(c.id) ?? '',
      status: statusView(c.status),
      refs: c.evidence.reports.map((r) => refs.get(r.id)).join(', '),
    })),
  };
}
