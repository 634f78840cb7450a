import type { AssessmentResult, ControlAssessment } from '../../assess/result';

// Document structure: numbered parts, guidelines and sections, each an anchor the contents and
// bookmarks point at.

export interface OutlineEntry {
  id: string;
  number: string;
  title: string;
  level: 1 | 2 | 3;
}

interface SectionGroup {
  id: string;
  number: string;
  title: string;
  controls: ControlAssessment[];
}

export interface GuidelineGroup extends SectionGroup {
  sections: SectionGroup[];
}

/** Groups in order of first appearance, so each guideline and section appears once even if the result interleaves them. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups];
}

const CONTROLS_PART = '6';

export function guidelineTree(controls: readonly ControlAssessment[]): GuidelineGroup[] {
  return groupBy(controls, (c) => c.guideline).map(([title, items], g) => {
    const number = `${CONTROLS_PART}.${g + 1}`;
    const id = `g-${g + 1}`;
    return {
      id,
      number,
      title,
      controls: items,
      sections: groupBy(items, (c) => c.section).map(([section, inSection], s) => ({ id: `${id}-${s + 1}`, number: `${number}.${s + 1}`, title: section, controls: inSection })),
    };
  });
}

export const PARTS = [
  { id: 'summary', number: '1', title: 'Executive summary' },
  { id: 'practices', number: '2', title: 'Service security practices' },
  { id: 'scope', number: '3', title: 'Scope and evidence' },
  { id: 'responsibility', number: '4', title: 'Shared responsibility' },
  { id: 'inherited', number: '5', title: 'Inherited controls and AWS Artifact reports' },
  { id: 'controls', number: CONTROLS_PART, title: 'Control assessments' },
  { id: 'attestations', number: '7', title: 'Attestations' },
  { id: 'exceptions', number: '8', title: 'Risk acceptances' },
  { id: 'gaps', number: '9', title: 'Collection gaps' },
  { id: 'residency', number: '10', title: 'Data residency' },
  { id: 'appendix-method', number: '', title: 'Appendix A: Method' },
  { id: 'appendix-statuses', number: '', title: 'Appendix B: Status definitions' },
  { id: 'appendix-files', number: '', title: 'Appendix C: Evidence pack manifest' },
] as const;
type PartId = (typeof PARTS)[number]['id'];

export const part = (id: PartId) => {
  const p = PARTS.find((x) => x.id === id)!;
  return { id: p.id, number: p.number, title: p.title };
};
/** "part 6": cross-references follow the parts list, so adding a part renumbers them all. */
export const partRef = (id: PartId) => `part ${part(id).number}`;

/** The contents: every part, and under the control assessments every guideline and section. */
export function reportOutline(result: AssessmentResult): OutlineEntry[] {
  const tree = guidelineTree(result.controls);
  return PARTS.flatMap((p): OutlineEntry[] => [
    { id: p.id, number: p.number, title: p.title, level: 1 },
    ...(p.id === 'controls'
      ? tree.flatMap((g): OutlineEntry[] => [
          { id: g.id, number: g.number, title: g.title, level: 2 },
          ...g.sections.map((s): OutlineEntry => ({ id: s.id, number: s.number, title: s.title, level: 3 })),
        ])
      : []),
  ]);
}
