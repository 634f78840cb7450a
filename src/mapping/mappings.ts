import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import { controlId } from '../evidence/records';
import conformancePacks from '../facts/conformance-packs.json';
import { YamlFile } from '../util/yaml-file';
import type { Catalog, CatalogControl } from './catalog';
import { PRACTICES_SCHEMA, resolvePractices, type Practice } from './practices';
import { RESPONSIBILITIES, SERVICE_CATEGORIES, type Responsibility, type ServiceCategory } from './responsibility';

/** The mapping files shipped with auditpack; data, not code (see docs/mappings.md). */
export const BUILTIN_MAPPINGS_DIR = path.join(__dirname, '..', '..', 'mappings');

const responsibilityValue = z.enum(RESPONSIBILITIES);
const perCategory = z.union([
  responsibilityValue,
  z.strictObject(Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, responsibilityValue])) as Record<ServiceCategory, typeof responsibilityValue>),
]);
const assignment = z.strictObject({ responsibility: perCategory, rationale: z.string().min(1) });
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as ap-southeast-2');

/** Where a rule mapping comes from: the conformance pack's own Control ID comment, or our judgement. */
export const RULE_PROVENANCES = ['aws-pack', 'auditpack'] as const;
export type RuleProvenance = (typeof RULE_PROVENANCES)[number];

const FILES = {
  'responsibility.yaml': z.strictObject({
    serviceCategories: z
      .strictObject(
        Object.fromEntries(
          SERVICE_CATEGORIES.map((c) => [c, z.array(z.string().regex(/^AWS::\w+(::\w+)?$/, 'must be a service prefix such as AWS::EC2 or a resource type')).optional()]),
        ) as Record<ServiceCategory, z.ZodOptional<z.ZodArray<z.ZodString>>>,
      )
      .optional(),
    guidelines: z.record(z.string(), assignment.partial({ responsibility: true, rationale: true }).extend({ sections: z.record(z.string(), assignment).optional() })).optional(),
    controls: z.record(controlId, assignment).optional(),
  }),
  'config-rules.yaml': z.strictObject({
    // Identifiers are checked by the loader, which can say which one is wrong and where.
    rules: z.record(
      z.string(),
      z.strictObject({
        controls: z.array(controlId).min(1).optional(),
        supporting: z.array(controlId).min(1).optional(),
        noControl: z.string().min(1).optional(),
        rationale: z.string().min(1).optional(),
        provenance: z.enum(RULE_PROVENANCES, 'must be aws-pack (the pack\'s own Control ID comment) or auditpack (our judgement)'),
      }),
    ),
  }),
  'artifact-reports.yaml': z.strictObject({
    reports: z.record(
      z.string().min(1),
      z.strictObject({
        guidelines: z.array(z.string()).optional(),
        controls: z.array(controlId).optional(),
        assurance: z.array(z.enum(['NC', 'OS', 'P', 'S', 'TS'])).min(1),
        services: z.array(z.string().regex(/^AWS::\w+$/, 'must be a service prefix such as AWS::S3')).min(1),
        servicesRead: z.iso.date(),
        rationale: z.string().min(1),
      }),
    ),
  }),
  'process-checks.yaml': z.strictObject({
    processChecks: z.record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a Config rule name such as response-plan-exists-maintained'),
      z.strictObject({ controls: z.array(controlId).min(1), validForDays: z.number().int().positive().optional(), rationale: z.string().min(1) }),
    ),
  }),
  'data-residency.yaml': z.strictObject({
    allowedRegions: z.array(region).min(1),
    controls: z.array(controlId).min(1),
    rationale: z.string().min(1),
  }),
  'not-applicable.yaml': z.strictObject({
    notApplicable: z.array(
      z
        .strictObject({
          guideline: z.string().optional(),
          section: z.string().optional(),
          controls: z.array(controlId).optional(),
          rationale: z.string().min(1),
          approvedBy: z.string().min(1).optional(),
          approvedOn: z.iso.date('must be a date such as 2026-09-15').optional(),
        })
        .refine((e) => e.guideline !== undefined || e.controls !== undefined, 'names no guideline or controls')
        .refine((e) => e.section === undefined || e.guideline !== undefined, 'a section needs its guideline')
        .refine((e) => (e.approvedBy === undefined) === (e.approvedOn === undefined), 'approvedBy and approvedOn go together: who approved the declaration, and when'),
    ),
  }),
  'practices.yaml': PRACTICES_SCHEMA,
} as const;
type FileName = keyof typeof FILES;
type Loaded = { [F in FileName]: YamlFile<z.infer<(typeof FILES)[F]>>[] };
const REQUIRED_BUILTIN: FileName[] = ['responsibility.yaml', 'config-rules.yaml', 'artifact-reports.yaml', 'data-residency.yaml', 'process-checks.yaml', 'practices.yaml'];
/** How long a process check's recorded result counts when its mapping sets no validForDays. */
export const DEFAULT_PROCESS_CHECK_DAYS = 365;

/**
 * What one Config rule identifier's evaluations mean for the ISM. `decides` entries set the status
 * of their controls; `supporting` controls are shown the results but are never decided by them
 * (an event-log control claimed from a resource that holds no logs, say), and a `supports` entry
 * has nothing else. `none` says why a rule bears on no ISM control, so that a deployed rule is
 * accounted for rather than silently dropped.
 */
export type RuleMapping =
  | { kind: 'decides'; controls: readonly string[]; supporting: readonly string[]; rationale: string; provenance: RuleProvenance; file: string; line: number }
  | { kind: 'supports'; supporting: readonly string[]; rationale: string; provenance: RuleProvenance; file: string; line: number }
  | { kind: 'none'; reason: string; file: string; line: number };

/** Controls each ACSC pack's own comments state for a rule identifier (Part 2's "Control ID" lines). */
const packStatedControls = new Map<string, string[]>();
for (const pack of conformancePacks.packs) {
  for (const rule of pack.rules as { identifier: string; statedControlIds?: string[] }[]) {
    for (const id of rule.statedControlIds ?? []) packStatedControls.set(rule.identifier, [...new Set([...(packStatedControls.get(rule.identifier) ?? []), id])]);
  }
}

export interface MappingProblem {
  file: string;
  line: number;
  /** The id or title at fault, for machine-readable output. */
  subject: string;
  message: string;
}

export interface ResolvedResponsibility {
  byCategory: Record<ServiceCategory, Responsibility>;
  rationale: string;
}

/** The system owner's declaration that a control does not apply, with its approval when the file records one. */
/** What a report series can evidence (artifact-reports.yaml): the classifications its assurance reaches and the services it covers. */
export interface ReportScope {
  /** Applicability codes (NC, OS, P, S, TS) of the controls its assurance reaches. */
  assurance: readonly string[];
  /** Service prefixes (AWS::S3) in the series' scope. */
  services: ReadonlySet<string>;
  /** The day the service list was read from AWS's page. */
  servicesRead: string;
}

export interface NotApplicableDeclaration {
  rationale: string;
  approval: { by: string; on: string } | null;
}

export interface DataResidency {
  allowedRegions: string[];
  controls: string[];
  rationale: string;
}

export interface Mappings {
  /** The category of a resource type, by exact type or service prefix; null when unclassified. */
  categoryOf(resourceType: string): ServiceCategory | null;
  responsibilityOf(control: CatalogControl): ResolvedResponsibility;
  /** The system owner's declaration that a control is not applicable, or null. */
  notApplicable(control: CatalogControl): NotApplicableDeclaration | null;
  /** Config rule identifier -> the controls whose status its evaluations decide (never empty). */
  ruleControls: ReadonlyMap<string, readonly string[]>;
  /** Every identifier the rule mappings account for, deciding or not, with rationale and provenance. */
  ruleMappings: ReadonlyMap<string, RuleMapping>;
  /** Artifact report series -> controls its reports evidence (AWS's part of shared and inherited controls). */
  reportControls: ReadonlyMap<string, ReadonlySet<string>>;
  /** Artifact report series -> what its reports can evidence (assurance level, services, when read). */
  reportScopes: ReadonlyMap<string, ReportScope>;
  /** Process check rule name -> the controls its recorded result evidences, and for how long. */
  processChecks: ReadonlyMap<string, { controls: readonly string[]; validForDays: number }>;
  residency: DataResidency;
  /** The service security practices, each with the rules that evidence it. */
  practices: readonly Practice[];
  /** Ids and titles that the catalog does not hold; loading throws on the first unless asked to collect them. */
  problems: MappingProblem[];
}

export interface LoadOptions {
  dir?: string;
  /** A folder of the user's mapping files that add to or override the built-in ones. */
  extraDir?: string;
  /** Return catalog problems in `problems` instead of throwing on the first (for `mappings check`). */
  collectProblems?: boolean;
}

function loadDir(dir: string, builtin: boolean): Partial<Loaded> {
  if (!existsSync(dir)) throw new AuditpackError(`${dir}: mappings folder not found`);
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
  const unknown = names.find((n) => !(n in FILES));
  if (unknown) throw new AuditpackError(`${path.join(dir, unknown)}: unknown mapping file; expected one of ${Object.keys(FILES).join(', ')}`);
  const loaded: Partial<Record<FileName, YamlFile<unknown>[]>> = {};
  for (const name of Object.keys(FILES) as FileName[]) {
    const file = path.join(dir, name);
    if (existsSync(file)) loaded[name] = [YamlFile.load(file, FILES[name])];
    else if (builtin && REQUIRED_BUILTIN.includes(name)) throw new AuditpackError(`${file}: mapping file missing`);
  }
  return loaded as Partial<Loaded>;
}

function expand(value: z.infer<typeof perCategory>): Record<ServiceCategory, Responsibility> {
  return typeof value === 'string' ? (Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, value])) as Record<ServiceCategory, Responsibility>) : value;
}

/**
 * Loads the mapping files (built-in, then the user's, which win key by key) and validates them
 * against a catalog: every id and title used must exist in it, and every control must resolve
 * to a responsibility. Errors name the file and line.
 */
export function loadMappings(catalog: Catalog, options: LoadOptions = {}): Mappings {
  const builtin = loadDir(options.dir ?? BUILTIN_MAPPINGS_DIR, true);
  const extra = options.extraDir ? loadDir(options.extraDir, false) : {};
  const files = Object.fromEntries((Object.keys(FILES) as FileName[]).map((n) => [n, [...(builtin[n] ?? []), ...(extra[n] ?? [])]])) as Loaded;

  const problems: MappingProblem[] = [];
  const problem = (file: YamlFile<unknown>, at: (string | number)[], subject: string, message: string) => {
    const found = { file: file.file, line: file.lineOf(at), subject, message };
    if (!options.collectProblems) throw new AuditpackError(`${found.file}:${found.line}: ${message}`);
    problems.push(found);
  };
  const known = new Map(catalog.controls.map((c) => [c.id, c]));
  const guidelines = new Set(catalog.controls.map((c) => c.guideline));
  const checkId = (file: YamlFile<unknown>, at: (string | number)[], id: string) => {
    if (!known.has(id)) problem(file, at, id, `control ${id} is not in ISM catalog ${catalog.version} (retired, or never existed)`);
  };
  const checkGuideline = (file: YamlFile<unknown>, at: (string | number)[], title: string) => {
    if (!guidelines.has(title)) problem(file, at, title, `guideline "${title}" is not in ISM catalog ${catalog.version}`);
  };
  const checkSection = (file: YamlFile<unknown>, at: (string | number)[], guideline: string, section: string) => {
    if (guidelines.has(guideline) && !catalog.controls.some((c) => c.guideline === guideline && c.section === section)) {
      problem(file, at, section, `section "${section}" is not in "${guideline}" in ISM catalog ${catalog.version}`);
    }
  };

  // Responsibility: later files override earlier ones entry by entry.
  const categoryByKey = new Map<string, ServiceCategory>();
  const guidelineDefaults = new Map<string, z.infer<typeof assignment>>();
  const sectionOverrides = new Map<string, z.infer<typeof assignment>>();
  const controlOverrides = new Map<string, z.infer<typeof assignment>>();
  for (const f of files['responsibility.yaml']) {
    const seen = new Set<string>();
    for (const category of SERVICE_CATEGORIES) {
      (f.data.serviceCategories?.[category] ?? []).forEach((key, i) => {
        if (seen.has(key)) throw f.error(['serviceCategories', category, i], `${key} is already in category ${categoryByKey.get(key)}`);
        seen.add(key);
        categoryByKey.set(key, category);
      });
    }
    for (const [title, g] of Object.entries(f.data.guidelines ?? {})) {
      checkGuideline(f, ['guidelines', title], title);
      if (g.responsibility !== undefined && g.rationale !== undefined) guidelineDefaults.set(title, { responsibility: g.responsibility, rationale: g.rationale });
      else if (g.responsibility !== undefined || g.rationale !== undefined) throw f.error(['guidelines', title], `guideline "${title}" needs both responsibility and rationale`);
      for (const [section, a] of Object.entries(g.sections ?? {})) {
        checkSection(f, ['guidelines', title, 'sections', section], title, section);
        sectionOverrides.set(`${title}\n${section}`, a);
      }
    }
    for (const [id, a] of Object.entries(f.data.controls ?? {})) {
      checkId(f, ['controls', id], id);
      controlOverrides.set(id, a);
    }
  }
  const unresolved = catalog.controls.find((c) => !guidelineDefaults.has(c.guideline));
  if (unresolved) {
    const f = files['responsibility.yaml'][0];
    problem(f, ['guidelines'], unresolved.guideline, `no responsibility for guideline "${unresolved.guideline}" (control ${unresolved.id})`);
  }

  const ruleMappings = new Map<string, RuleMapping>();
  for (const f of files['config-rules.yaml']) {
    for (const [identifier, rule] of Object.entries(f.data.rules)) ruleMappings.set(identifier, ruleMapping(f, identifier, rule, checkId));
  }
  const ruleControls = new Map<string, readonly string[]>();
  for (const [identifier, m] of ruleMappings) if (m.kind === 'decides') ruleControls.set(identifier, m.controls);

  const reportControls = new Map<string, Set<string>>();
  const reportScopes = new Map<string, ReportScope>();
  for (const f of files['artifact-reports.yaml']) {
    for (const [series, report] of Object.entries(f.data.reports)) {
      const ids = new Set<string>();
      (report.guidelines ?? []).forEach((title, i) => {
        checkGuideline(f, ['reports', series, 'guidelines', i], title);
        for (const c of catalog.controls) if (c.guideline === title) ids.add(c.id);
      });
      (report.controls ?? []).forEach((id, i) => {
        checkId(f, ['reports', series, 'controls', i], id);
        ids.add(id);
      });
      if (!report.guidelines?.length && !report.controls?.length) throw f.error(['reports', series], `report series "${series}" names no guidelines or controls`);
      reportControls.set(series, ids);
      reportScopes.set(series, { assurance: report.assurance, services: new Set(report.services), servicesRead: report.servicesRead });
    }
  }

  const processChecks = new Map<string, { controls: string[]; validForDays: number }>();
  for (const f of files['process-checks.yaml']) {
    for (const [name, check] of Object.entries(f.data.processChecks)) {
      check.controls.forEach((id, i) => checkId(f, ['processChecks', name, 'controls', i], id));
      processChecks.set(name, { controls: check.controls, validForDays: check.validForDays ?? DEFAULT_PROCESS_CHECK_DAYS });
    }
  }

  const residencyFile = files['data-residency.yaml'].at(-1)!;
  residencyFile.data.controls.forEach((id, i) => checkId(residencyFile, ['controls', i], id));

  const notApplicable = new Map<string, NotApplicableDeclaration>();
  for (const f of files['not-applicable.yaml']) {
    f.data.notApplicable.forEach((entry, i) => {
      if (entry.guideline !== undefined) checkGuideline(f, ['notApplicable', i, 'guideline'], entry.guideline);
      if (entry.guideline !== undefined && entry.section !== undefined) checkSection(f, ['notApplicable', i, 'section'], entry.guideline, entry.section);
      (entry.controls ?? []).forEach((id, j) => checkId(f, ['notApplicable', i, 'controls', j], id));
      const selected = entry.controls
        ? entry.controls
        : catalog.controls.filter((c) => c.guideline === entry.guideline && (entry.section === undefined || c.section === entry.section)).map((c) => c.id);
      const approval = entry.approvedBy !== undefined && entry.approvedOn !== undefined ? { by: entry.approvedBy, on: entry.approvedOn } : null;
      for (const id of selected) notApplicable.set(id, { rationale: entry.rationale, approval });
    });
  }

  return {
    categoryOf(resourceType) {
      const service = resourceType.split('::').slice(0, 2).join('::');
      return categoryByKey.get(resourceType) ?? categoryByKey.get(service) ?? null;
    },
    responsibilityOf(control) {
      const chosen = controlOverrides.get(control.id) ?? sectionOverrides.get(`${control.guideline}\n${control.section}`) ?? guidelineDefaults.get(control.guideline);
      // Only reachable after a collected "no responsibility" problem: the most demanding default keeps the result honest.
      if (!chosen) return { byCategory: expand('customer'), rationale: 'No responsibility is mapped for this guideline.' };
      return { byCategory: expand(chosen.responsibility), rationale: chosen.rationale };
    },
    notApplicable: (control) => notApplicable.get(control.id) ?? null,
    ruleControls,
    ruleMappings,
    reportControls,
    reportScopes,
    processChecks,
    residency: { allowedRegions: residencyFile.data.allowedRegions, controls: residencyFile.data.controls, rationale: residencyFile.data.rationale },
    practices: resolvePractices(files['practices.yaml'], new Set(ruleMappings.keys())),
    problems,
  };
}

const RULE_IDENTIFIER = /^[A-Z0-9_]+$/;

type RuleEntry = z.infer<(typeof FILES)['config-rules.yaml']>['rules'][string];

/** One config-rules.yaml entry, checked for the shapes the schema alone cannot express. */
function ruleMapping(
  f: YamlFile<unknown>,
  identifier: string,
  rule: RuleEntry,
  checkId: (file: YamlFile<unknown>, at: (string | number)[], id: string) => void,
): RuleMapping {
  const at = ['rules', identifier];
  const line = f.lineOf(at);
  if (!RULE_IDENTIFIER.test(identifier)) throw f.error(at, `rule ${identifier}: must be a managed rule identifier such as S3_BUCKET_PUBLIC_READ_PROHIBITED`);
  if (rule.noControl !== undefined) {
    const extra = (['controls', 'supporting', 'rationale'] as const).find((k) => rule[k] !== undefined);
    if (extra) throw f.error([...at, extra], `rule ${identifier} gives both noControl and ${extra}; a rule either bears on controls or on none`);
    if (rule.provenance === 'aws-pack') throw f.error([...at, 'provenance'], `rule ${identifier}: noControl is our judgement, so its provenance must be auditpack`);
    return { kind: 'none', reason: rule.noControl, file: f.file, line };
  }
  if (rule.controls === undefined && rule.supporting === undefined) {
    throw f.error(at, `rule ${identifier} names no controls; give controls (or supporting ones), or noControl with the reason it bears on no ISM control`);
  }
  if (rule.rationale === undefined) throw f.error(at, `rule ${identifier} has no rationale`);
  const controls = rule.controls ?? [];
  const supporting = rule.supporting ?? [];
  controls.forEach((id, i) => checkId(f, [...at, 'controls', i], id));
  supporting.forEach((id, i) => checkId(f, [...at, 'supporting', i], id));
  const both = supporting.find((id) => controls.includes(id));
  if (both) throw f.error([...at, 'supporting'], `rule ${identifier}: ${both} is both deciding and supporting`);
  if (rule.provenance === 'aws-pack') {
    const stated = packStatedControls.get(identifier);
    if (!stated) throw f.error([...at, 'provenance'], `rule ${identifier}: no ACSC pack states a control for it, so its provenance must be auditpack`);
    const missing = stated.find((id) => !controls.includes(id) && !supporting.includes(id));
    if (missing) throw f.error([...at, 'provenance'], `rule ${identifier}: the pack states ${missing}; keep it in controls or supporting`);
  }
  const common = { supporting, rationale: rule.rationale, provenance: rule.provenance, file: f.file, line };
  return controls.length ? { kind: 'decides', controls, ...common } : { kind: 'supports', ...common };
}
