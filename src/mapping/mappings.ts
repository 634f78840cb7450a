import path from 'node:path';
import { z } from 'zod';
import { SERVICE_CATEGORIES, RESPONSIBILITIES, type Responsibility, type ServiceCategory } from '../assess/result';
import { controlId } from '../evidence/records';
import { YamlFile } from '../util/yaml-file';
import type { Catalog, CatalogControl } from './catalog';

/** The mapping files shipped with auditpack; data, not code (see docs/mappings.md). */
export const BUILTIN_MAPPINGS_DIR = path.join(__dirname, '..', '..', 'mappings');

const responsibilityValue = z.enum(RESPONSIBILITIES);
const perCategory = z.union([
  responsibilityValue,
  z.strictObject(Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, responsibilityValue])) as Record<ServiceCategory, typeof responsibilityValue>),
]);
const assignment = z.strictObject({ responsibility: perCategory, rationale: z.string().min(1) });

const ResponsibilityFile = z.strictObject({
  serviceCategories: z.strictObject(
    Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, z.array(z.string().regex(/^AWS::\w+(::\w+)?$/, 'must be a service prefix such as AWS::EC2 or a resource type'))])) as Record<
      ServiceCategory,
      z.ZodArray<z.ZodString>
    >,
  ),
  guidelines: z.record(
    z.string(),
    assignment.extend({
      sections: z.record(z.string(), assignment).optional(),
    }),
  ),
  controls: z.record(controlId, assignment).optional(),
});

const RuleFile = z.strictObject({
  rules: z.record(
    z.string().regex(/^[A-Z0-9_]+$/, 'must be a managed rule identifier such as S3_BUCKET_PUBLIC_READ_PROHIBITED'),
    z.strictObject({ controls: z.array(controlId).min(1), rationale: z.string().min(1) }),
  ),
});

const ReportFile = z.strictObject({
  reports: z.record(
    z.string().min(1),
    z.strictObject({
      guidelines: z.array(z.string()).optional(),
      controls: z.array(controlId).optional(),
      rationale: z.string().min(1),
    }),
  ),
});

export interface ResolvedResponsibility {
  byCategory: Record<ServiceCategory, Responsibility>;
  rationale: string;
}

export interface Mappings {
  /** The category of a resource type, by exact type or service prefix; null when unclassified. */
  categoryOf(resourceType: string): ServiceCategory | null;
  responsibilityOf(control: CatalogControl): ResolvedResponsibility;
  /** Config rule identifier -> controls. */
  ruleControls: ReadonlyMap<string, readonly string[]>;
  /** Artifact report series -> controls its reports evidence (when those controls are inherited). */
  reportControls: ReadonlyMap<string, ReadonlySet<string>>;
}

function expand(value: z.infer<typeof perCategory>): Record<ServiceCategory, Responsibility> {
  return typeof value === 'string' ? (Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, value])) as Record<ServiceCategory, Responsibility>) : value;
}

/**
 * Loads and validates the mapping files against a catalog: every id and title used must exist
 * in it, and every control of the catalog must resolve to a responsibility. Errors name the
 * file and line.
 */
export function loadMappings(catalog: Catalog, dir: string = BUILTIN_MAPPINGS_DIR): Mappings {
  const known = new Map(catalog.controls.map((c) => [c.id, c]));
  const guidelines = new Set(catalog.controls.map((c) => c.guideline));
  const checkId = (file: YamlFile<unknown>, at: (string | number)[], id: string) => {
    if (!known.has(id)) throw file.error(at, `control ${id} is not in ISM catalog ${catalog.version}`);
  };
  const checkGuideline = (file: YamlFile<unknown>, at: (string | number)[], title: string) => {
    if (!guidelines.has(title)) throw file.error(at, `guideline "${title}" is not in ISM catalog ${catalog.version}`);
  };

  const resp = YamlFile.load(path.join(dir, 'responsibility.yaml'), ResponsibilityFile);
  const categoryByKey = new Map<string, ServiceCategory>();
  for (const category of SERVICE_CATEGORIES) {
    resp.data.serviceCategories[category].forEach((key, i) => {
      if (categoryByKey.has(key)) throw resp.error(['serviceCategories', category, i], `${key} is already in category ${categoryByKey.get(key)}`);
      categoryByKey.set(key, category);
    });
  }
  for (const [title, g] of Object.entries(resp.data.guidelines)) {
    checkGuideline(resp, ['guidelines', title], title);
    for (const section of Object.keys(g.sections ?? {})) {
      if (!catalog.controls.some((c) => c.guideline === title && c.section === section)) {
        throw resp.error(['guidelines', title, 'sections', section], `section "${section}" is not in "${title}" in ISM catalog ${catalog.version}`);
      }
    }
  }
  for (const id of Object.keys(resp.data.controls ?? {})) checkId(resp, ['controls', id], id);
  const unresolved = catalog.controls.find((c) => !resp.data.guidelines[c.guideline]);
  if (unresolved) throw resp.error(['guidelines'], `no responsibility for guideline "${unresolved.guideline}" (control ${unresolved.id})`);

  const rules = YamlFile.load(path.join(dir, 'config-rules.yaml'), RuleFile);
  const ruleControls = new Map<string, string[]>();
  for (const [identifier, rule] of Object.entries(rules.data.rules)) {
    rule.controls.forEach((id, i) => checkId(rules, ['rules', identifier, 'controls', i], id));
    ruleControls.set(identifier, rule.controls);
  }

  const reports = YamlFile.load(path.join(dir, 'artifact-reports.yaml'), ReportFile);
  const reportControls = new Map<string, Set<string>>();
  for (const [series, report] of Object.entries(reports.data.reports)) {
    const ids = new Set<string>();
    (report.guidelines ?? []).forEach((title, i) => {
      checkGuideline(reports, ['reports', series, 'guidelines', i], title);
      for (const c of catalog.controls) if (c.guideline === title) ids.add(c.id);
    });
    (report.controls ?? []).forEach((id, i) => {
      checkId(reports, ['reports', series, 'controls', i], id);
      ids.add(id);
    });
    if (!ids.size) throw reports.error(['reports', series], `report series "${series}" names no guidelines or controls`);
    reportControls.set(series, ids);
  }

  return {
    categoryOf(resourceType) {
      const service = resourceType.split('::').slice(0, 2).join('::');
      return categoryByKey.get(resourceType) ?? categoryByKey.get(service) ?? null;
    },
    responsibilityOf(control) {
      const guideline = resp.data.guidelines[control.guideline];
      const chosen = resp.data.controls?.[control.id] ?? guideline.sections?.[control.section] ?? guideline;
      return { byCategory: expand(chosen.responsibility), rationale: chosen.rationale };
    },
    ruleControls,
    reportControls,
  };
}
