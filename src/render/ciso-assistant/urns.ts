import type { AssessmentResult, ControlAssessment } from '../../assess/result';

/**
 * auditpack's URN namespace in CISO Assistant (docs/ciso-assistant.md, "URN scheme"). CISO
 * Assistant's own libraries use `urn:intuitem:risk:...`; a packager other than intuitem names
 * its own namespace, so the generated library never collides with a stock one.
 */
export const URN_PREFIX = 'urn:auditpack:risk';

/**
 * The framework's slug: the ISM release and the baseline. A result holds only its baseline's
 * controls, so each baseline is a framework of its own; CISO Assistant looks requirement nodes up
 * by URN alone in places (its library updater), so the baseline is part of every node's URN too.
 */
export function frameworkSlug(result: AssessmentResult): string {
  return `ism-${result.catalog.version}-${result.baseline}`.toLowerCase();
}

/** Titles as URN segments: lower case, runs of anything but letters and digits as one hyphen. */
export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export interface FrameworkUrns {
  library: string;
  framework: string;
  guideline(c: ControlAssessment): string;
  section(c: ControlAssessment): string;
  topic(c: ControlAssessment): string;
  /** A control's node: its catalog id (`ism-1234`, `ism-principle-gov-01`), as OSCAL spells it. */
  control(c: ControlAssessment): string;
}

/**
 * Every URN the library and the import file use. Each derives only from the release, the
 * baseline and the catalog's own ids and titles, so the same result always gives the same URNs
 * and a control keeps its URN from one pack to the next.
 */
export function frameworkUrns(result: AssessmentResult): FrameworkUrns {
  const fw = frameworkSlug(result);
  const node = (rest: string) => `${URN_PREFIX}:req_node:${fw}:${rest}`;
  const g = (c: ControlAssessment) => slug(c.guideline);
  const s = (c: ControlAssessment) => `${g(c)}:${slug(c.section)}`;
  return {
    library: `${URN_PREFIX}:library:${fw}`,
    framework: `${URN_PREFIX}:framework:${fw}`,
    guideline: (c) => node(`g:${g(c)}`),
    section: (c) => node(`s:${s(c)}`),
    topic: (c) => node(`t:${s(c)}:${slug(c.topic)}`),
    control: (c) => node(c.id.toLowerCase()),
  };
}
