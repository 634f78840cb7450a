import { STATUSES } from '../../assess/result';
import { organisationOf } from '../organisation';
import { STATUS_TABLE } from '../../assess/status-table';
import { ATTACHMENTS_DIR } from '../../evidence/kinds';
import type { PageNumbers } from '../pdf';
import { practicesView } from '../practices-view';
import { STATUS_DEFINITIONS } from '../statuses';
import { controlView } from './control';
import { coverView } from './cover';
import { more, num, plural, statusView, XLSX } from './format';
import { inheritedView, reportRefs } from './inherited';
import type { ReportInput } from './input';
import { LIMITS } from './limits';
import { manualView } from './manual';
import { groupBy, guidelineTree, part, PARTS, reportOutline } from './outline';
import { residencyView } from './residency';
import { responsibilityView } from './responsibility';
import { scopeView } from './scope';
import { summaryView } from './summary';

export type { ReportInput } from './input';
export { reportOutline } from './outline';

/** A sample report says so in its title too, once. */
const sampleTitle = (title: string, sample: boolean): string => (sample && !title.includes('SAMPLE DATA') ? `${title} (SAMPLE DATA)` : title);

/** Everything the templates show, precomputed so the templates need no helpers and no logic beyond if/each. */
export function reportView(input: ReportInput, pages: PageNumbers | null) {
  const { result, marking } = input;
  const info = result.pack;
  const files = info.files;
  const tree = guidelineTree(result.controls);
  const refs = reportRefs(input);
  const page = (id: string) => (pages?.get(id) !== undefined ? String(pages.get(id)) : '');
  const organisation = organisationOf(result) ?? 'Organisation not named';
  return {
    title: sampleTitle(`ISM compliance report: ${input.system ? `${input.system}, ` : ''}${organisation}, ${info.period}`, info.sample),
    marking,
    sample: info.sample,
    cover: coverView(input),
    contents: reportOutline(result).map((e) => ({ ...e, page: page(e.id), cls: `toc-${e.level}` })),
    parts: Object.fromEntries(PARTS.map((p) => [p.id.replace('appendix-', 'appendix_'), part(p.id)])),
    summary: summaryView(input, tree),
    practices: practicesView(result),
    scope: scopeView(input),
    responsibility: responsibilityView(result, tree),
    inherited: inheritedView(input, refs, tree),
    statementsMissing: !result.catalog.statementsLoaded,
    catalogVersion: result.catalog.version,
    findingsShown: LIMITS.findingsPerControl,
    guidelines: tree.map((g) => ({
      id: g.id,
      number: g.number,
      title: g.title,
      count: plural(g.controls.length, 'control', 'controls'),
      sections: g.sections.map((s) => ({
        id: s.id,
        number: s.number,
        title: s.title,
        context: `${g.number} ${g.title} › ${s.number} ${s.title}`,
        topics: groupBy(s.controls, (c) => c.topic).map(([topic, controls]) => ({ title: topic, controls: controls.map((c) => controlView(c, refs)) })),
      })),
    })),
    ...manualView(result.manualEvidence),
    gaps: info.gaps.slice(0, LIMITS.gaps).map((g) => ({ ...g, where: [g.accountId, g.region].filter((x) => x !== null).join(' ') || 'all accounts and regions' })),
    gapsMore: more(info.gaps.length - LIMITS.gaps, XLSX('Gaps', 'gaps.csv')),
    residency: residencyView(input),
    statusDefinitions: STATUSES.map((s) => ({ ...statusView(s), id: s, definition: STATUS_DEFINITIONS[s], implementation: STATUS_TABLE[s].implementation, annexReason: STATUS_TABLE[s].annexReason })),
    limits: LIMITS,
    packId: info.packId,
    manifestSha256: info.manifestSha256,
    files: files.slice(0, LIMITS.files).map((f) => ({
      ...f,
      // An attachment's name is its SHA-256, which the next column shows in full.
      path: f.path.startsWith(`${ATTACHMENTS_DIR}/`) ? `${ATTACHMENTS_DIR}/<SHA-256>` : f.path,
      bytes: num(f.bytes),
      records: f.records === null ? '–' : num(f.records),
    })),
    filesMore: more(files.length - LIMITS.files, XLSX('Manifest', 'manifest.csv')),
  };
}

export type ReportView = ReturnType<typeof reportView>;
