import ismIndex from '../facts/ism-index.json';
import { AuditpackError } from '../errors';

/**
 * The ISM catalog as auditpack uses it: controls and principles in catalog order, each with
 * its place in the guideline > section > topic tree. Statement text is only present when an
 * official OSCAL catalog file was loaded; the built-in index carries facts only.
 */
export interface CatalogControl {
  id: string;
  kind: 'control' | 'principle';
  guideline: string;
  section: string;
  topic: string;
  label: string | null;
  title: string | null;
  revision: number | null;
  applicability: string[];
  essentialEight: string[];
  statement: string | null;
}

export interface Catalog {
  version: string;
  /** Where the catalog came from, for the report (a file path, or the built-in index). */
  source: string;
  statementsLoaded: boolean;
  controls: CatalogControl[];
}

/** Baselines and the catalog property that selects each (profiles equal these selections). */
export const BASELINES = {
  NON_CLASSIFIED: { prop: 'applicability', value: 'NC' },
  OFFICIAL_SENSITIVE: { prop: 'applicability', value: 'OS' },
  PROTECTED: { prop: 'applicability', value: 'P' },
  SECRET: { prop: 'applicability', value: 'S' },
  TOP_SECRET: { prop: 'applicability', value: 'TS' },
  E8_ML1: { prop: 'essentialEight', value: 'ML1' },
  E8_ML2: { prop: 'essentialEight', value: 'ML2' },
  E8_ML3: { prop: 'essentialEight', value: 'ML3' },
} as const;
export type Baseline = keyof typeof BASELINES;
export const BASELINE_NAMES = Object.keys(BASELINES) as Baseline[];
export const DEFAULT_BASELINE: Baseline = 'PROTECTED';

export function parseBaseline(name: string): Baseline {
  const upper = name.toUpperCase().replace(/[ :-]+/g, '_');
  if (upper in BASELINES) return upper as Baseline;
  throw new AuditpackError(`unknown baseline "${name}"; expected one of ${BASELINE_NAMES.join(', ')}`);
}

export function baselineControls(catalog: Catalog, baseline: Baseline): CatalogControl[] {
  const { prop, value } = BASELINES[baseline];
  return catalog.controls.filter((c) => c[prop].includes(value));
}

interface IndexGroup {
  title: string;
  groups?: IndexGroup[];
}
interface IndexControl {
  id: string;
  kind: string;
  path: number[];
  label?: string;
  title?: string;
  revision?: number;
  applicability: string[];
  essentialEight: string[];
}

/** The catalog from the facts index that scripts/derive-facts.js derives from an official release. */
export function builtinCatalog(): Catalog {
  const groups = ismIndex.groups as IndexGroup[];
  const controls = (ismIndex.controls as IndexControl[]).map((c): CatalogControl => {
    const [g, s, t] = c.path;
    const guideline = groups[g];
    const section = guideline.groups![s];
    return {
      id: c.id,
      kind: c.kind === 'principle' ? 'principle' : 'control',
      guideline: guideline.title,
      section: section.title,
      topic: section.groups![t].title,
      label: c.label ?? null,
      title: c.title ?? null,
      revision: c.revision ?? null,
      applicability: c.applicability,
      essentialEight: c.essentialEight,
      statement: null,
    };
  });
  return { version: ismIndex.version, source: 'built-in facts index', statementsLoaded: false, controls };
}
