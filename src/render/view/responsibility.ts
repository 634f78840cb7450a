import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { type Responsibility, SERVICE_CATEGORIES, type ServiceCategory } from '../../mapping/responsibility';
import { CATEGORY_LABELS, CATEGORY_NOTES } from '../statuses';
import { more, num, plural, XLSX } from './format';
import { LIMITS } from './limits';
import type { GuidelineGroup } from './outline';

export function responsibilityView(result: AssessmentResult, tree: GuidelineGroup[]) {
  // The categories the assessment judged: those in use, or all of them when the pack has no resources.
  const categories = SERVICE_CATEGORIES.filter((c) => result.controls.some((x) => x.responsibilityByCategory[c] !== undefined));
  const types = new Map(result.servicesInUse.map((s) => [s.category, s.resourceTypes]));
  const counts = (controls: readonly ControlAssessment[], category: ServiceCategory) => {
    const out: Record<Responsibility, number> = { customer: 0, shared: 0, inherited: 0 };
    for (const c of controls) {
      const r = c.responsibilityByCategory[category];
      if (r) out[r]++;
    }
    return out;
  };
  const cell = (controls: readonly ControlAssessment[], category: ServiceCategory) => {
    const c = counts(controls, category);
    return { customer: num(c.customer), shared: num(c.shared), inherited: num(c.inherited) };
  };
  return {
    inUse: result.servicesInUse.length > 0,
    categories: categories.map((category) => {
      const inUse = types.get(category) ?? [];
      return {
        label: CATEGORY_LABELS[category],
        note: CATEGORY_NOTES[category],
        types: inUse.slice(0, LIMITS.resourceTypesPerCategory).join(', '),
        typesCount: num(inUse.length),
        typesMore: more(inUse.length - LIMITS.resourceTypesPerCategory, XLSX('Resources', 'resources.csv')),
        ...cell(result.controls, category),
      };
    }),
    heads: categories.map((c) => CATEGORY_LABELS[c]),
    byGuideline: tree.map((g) => ({ number: g.number, title: g.title, id: g.id, cells: categories.map((c) => cell(g.controls, c)) })),
    split: plural(result.controls.filter((c) => new Set(Object.values(c.responsibilityByCategory)).size > 1).length, 'control has', 'controls have'),
  };
}
