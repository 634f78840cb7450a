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
  /** When the control last changed, as the catalog writes it (`Dec-25`); null for principles, which carry none. */
  updated: string | null;
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
  /** Its baselines, in the order the index lists them. */
  baselines: BaselineDefinition[];
}

/**
 * A baseline as an ISM OSCAL profile defines it, kept as the catalog property value that selects
 * the same controls (scripts/derive-facts.js derives it from the profiles and checks the two are
 * equal), so that any release's catalog is cut by the same rule.
 */
export interface BaselineDefinition {
  /** As the profile's file names it: PROTECTED, E8_ML2. */
  name: string;
  /** The profile's title. */
  title: string;
  prop: 'applicability' | 'essentialEight';
  value: string;
}

/** A baseline's name: one of its catalog's `baselines`. */
export type Baseline = string;

/** What the IRAP assesses by default; a catalog without it asks for --baseline (see defaultBaseline). */
const PREFERRED_BASELINE = 'PROTECTED';

/** The baselines of the built-in index; an official catalog file, which carries no profiles, is cut by the same. */
export function builtinBaselines(): BaselineDefinition[] {
  return (ismIndex as FactsIndex).baselines;
}

export function defaultBaseline(baselines: BaselineDefinition[] = builtinBaselines()): Baseline {
  return (baselines.find((b) => b.name === PREFERRED_BASELINE) ?? baselines[0]).name;
}

export const baselineNames = (baselines: BaselineDefinition[] = builtinBaselines()): Baseline[] => baselines.map((b) => b.name);

/** A baseline named in any letter case, with spaces, colons or hyphens for underscores ("official: sensitive"). */
export function parseBaseline(name: string, baselines: BaselineDefinition[] = builtinBaselines()): Baseline {
  const wanted = name.toUpperCase().replace(/[ :-]+/g, '_');
  const found = baselines.find((b) => b.name === wanted);
  if (found) return found.name;
  throw new AuditpackError(`unknown baseline "${name}"; expected one of ${baselineNames(baselines).join(', ')}`);
}

export function baselineControls(catalog: Catalog, baseline: Baseline): CatalogControl[] {
  const definition = catalog.baselines.find((b) => b.name === baseline);
  if (!definition) throw new AuditpackError(`catalog ${catalog.version} has no baseline ${baseline}; it has ${baselineNames(catalog.baselines).join(', ')}`);
  return catalog.controls.filter((c) => c[definition.prop].includes(definition.value));
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
  updated?: string;
  applicability: string[];
  essentialEight: string[];
}

/** A facts index as scripts/derive-facts.js writes it (src/facts/ism-index.json). */
export interface FactsIndex {
  version: string;
  baselines: BaselineDefinition[];
  groups: IndexGroup[];
  controls: IndexControl[];
}

/** The catalog from the facts index that scripts/derive-facts.js derives from an official release. */
export function builtinCatalog(): Catalog {
  return catalogFromIndex(ismIndex as FactsIndex);
}

export function catalogFromIndex(index: FactsIndex): Catalog {
  const { groups } = index;
  const controls = index.controls.map((c): CatalogControl => {
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
      updated: c.updated ?? null,
      applicability: c.applicability,
      essentialEight: c.essentialEight,
      statement: null,
    };
  });
  return { version: index.version, source: 'built-in facts index', statementsLoaded: false, controls, baselines: index.baselines };
}
