#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Derives the facts-only indexes that auditpack ships from the official reference files:
 *   src/facts/ism-index.json          ids, group tree titles, applicability, E8 levels, revisions
 *                                     of an ISM OSCAL catalog (never statement text: that is ASD's
 *                                     prose and is loaded at run time from an official file), and
 *                                     the baselines its profiles define, each as the catalog
 *                                     property that selects the same controls
 *   src/facts/conformance-packs.json  the managed rule identifiers of the ACSC conformance packs,
 *                                     with the resource types each rule evaluates
 *   src/facts/managed-rules.json      the identifiers of the managed rule list, every one of which
 *                                     mappings/config-rules.yaml must account for
 * (src/facts/acsc-pack-history.json, the identifiers of earlier pack versions, is not derived here:
 * it was read from the repository's history, whose old blobs the reference folder does not hold.)
 *
 * Usage: node scripts/derive-facts.js [REFERENCE_DIR] [OUT_DIR]
 *   REFERENCE_DIR defaults to ../shared/reference, OUT_DIR to src/facts.
 * Run with --check to compare instead of write (exit 1 when the committed files differ).
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ISM_NS = 'https://cyber.gov.au/ns/ism/oscal/3.0';
// Where the reference copies of the templates come from (../shared/reference/config-conformance-packs/README.md):
// the commit that last changed the three ACSC files, whose blobs the copies are byte-identical to.
const PACK_SOURCE = { repository: 'awslabs/aws-config-rules', folder: 'aws-config-conformance-packs', commit: '434edacef7a1dae24db9f3f7883659c3130df20e' };
const ACSC_PACKS = [
  'Operational-Best-Practices-for-ACSC-ISM-Part1',
  'Operational-Best-Practices-for-ACSC-ISM-Part2',
  'Operational-Best-Practices-for-ACSC-Essential8',
];

/** @param {any[]} props @param {string} name */
function propValues(props, name) {
  return (props ?? []).filter((p) => p.name === name && (p.ns === ISM_NS || name === 'label')).map((p) => p.value);
}

/** The property of a control in the index that holds each ISM property's values. */
const SELECTING_PROPS = { applicability: 'applicability', 'essential-eight-applicability': 'essentialEight' };

/**
 * The baselines the profiles define: `ISM_<NAME>-baseline_profile.json`, each of which lists
 * control ids. The index keeps, for each, the one property value that selects exactly those
 * controls, so a later release's catalog is cut by the same rule; a profile that no single
 * value selects stops the derivation rather than be approximated.
 * Ordered by property, then by size (the classifications from the smallest up), then by name.
 * @param {any[]} controls the index's controls
 * @param {{ file: string, profile: any }[]} profiles
 */
function deriveBaselines(controls, profiles) {
  const baselines = profiles.map(({ file, profile }) => {
    const name = /^ISM_(.+)-baseline_profile\.json$/.exec(file)?.[1];
    if (!name) throw new Error(`${file}: not named ISM_<BASELINE>-baseline_profile.json`);
    /** @type {string[]} */
    const ids = profile.imports.flatMap((/** @type {any} */ i) => (i['include-controls'] ?? []).flatMap((/** @type {any} */ c) => c['with-ids'] ?? []));
    const wanted = [...new Set(ids)].sort().join(' ');
    const candidates = Object.values(SELECTING_PROPS).flatMap((prop) =>
      [...new Set(controls.flatMap((c) => c[prop]))].sort().flatMap((value) => {
        const selected = controls.filter((c) => c[prop].includes(value)).map((c) => c.id);
        return selected.sort().join(' ') === wanted ? [{ name, title: profile.metadata.title, prop, value, size: selected.length }] : [];
      }),
    );
    // Two values can select the same controls in one release (OS and P did in 2025.12.9) and part
    // in another: the value the baseline is named for is the one that stays right.
    const chosen = candidates.length > 1 ? candidates.filter((c) => namedFor(name, c.value)) : candidates;
    if (chosen.length === 1) return chosen[0];
    if (!candidates.length) throw new Error(`${file}: its ${ids.length} controls are not those of any one ${Object.keys(SELECTING_PROPS).join(' or ')} value of the catalog`);
    throw new Error(`${file}: ${candidates.map((c) => c.value).join(', ')} each select its controls, and its name does not say which it is`);
  });
  const order = Object.values(SELECTING_PROPS);
  return baselines
    .sort((a, b) => order.indexOf(a.prop) - order.indexOf(b.prop) || a.size - b.size || a.name.localeCompare(b.name))
    .map(({ size: _size, ...baseline }) => baseline);
}

/** Whether a baseline's name stands for a property value: PROTECTED for P, OFFICIAL_SENSITIVE for OS, E8_ML2 for ML2. @param {string} name @param {string} value */
function namedFor(name, value) {
  const words = name.split('_');
  return words.map((w) => w[0]).join('') === value || words.at(-1) === value;
}

/** @param {string} dir @returns {{ file: string, profile: any }[]} */
function readProfiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-baseline_profile.json'))
    .sort()
    .map((file) => ({ file, profile: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).profile }));
}

/** @param {any} catalog @param {{ file: string, profile: any }[]} profiles */
function deriveIsmIndex(catalog, profiles) {
  /** @type {any[]} */
  const controls = [];
  /** @param {any[]} groups @param {number[]} trail */
  const walk = (groups, trail) =>
    (groups ?? []).map((g, i) => {
      const here = [...trail, i];
      for (const c of g.controls ?? []) {
        const principle = c.class === 'ISM-principle';
        controls.push({
          id: c.id,
          kind: principle ? 'principle' : 'control',
          path: here,
          ...(principle ? { label: propValues(c.props, 'label')[0], title: c.title } : {}),
          ...(principle ? {} : { revision: Number(propValues(c.props, 'revision')[0]), updated: propValues(c.props, 'updated')[0] }),
          applicability: propValues(c.props, 'applicability'),
          essentialEight: propValues(c.props, 'essential-eight-applicability'),
        });
      }
      const node = { title: g.title };
      const children = walk(g.groups, here);
      return children.length ? { ...node, groups: children } : node;
    });
  const groups = walk(catalog.groups, []);
  return {
    derivedFrom: 'ISM OSCAL catalog and baseline profiles (facts only: no statement text)',
    version: catalog.metadata.version,
    published: catalog.metadata.published,
    baselines: deriveBaselines(controls, profiles),
    groups,
    controls,
  };
}

/** @param {string} referenceDir @returns {{identifier: string, resource_types: string}[]} */
function managedRuleRows(referenceDir) {
  const { parse } = require('csv-parse/sync');
  return parse(fs.readFileSync(path.join(referenceDir, 'config-managed-rules.csv'), 'utf8'), { columns: true });
}

/** @param {string} referenceDir */
function managedRuleResourceTypes(referenceDir) {
  /** @type {Map<string,string[]>} */
  const types = new Map();
  for (const row of managedRuleRows(referenceDir)) types.set(row.identifier, row.resource_types ? row.resource_types.split(';') : []);
  return types;
}

/** @param {string} referenceDir */
function deriveManagedRules(referenceDir) {
  return {
    derivedFrom: 'config-managed-rules.csv of the reference folder (identifiers only)',
    identifiers: managedRuleRows(referenceDir).map((row) => row.identifier).sort(),
  };
}

/** @param {string} referenceDir */
function deriveConformancePacks(referenceDir) {
  const knownTypes = managedRuleResourceTypes(referenceDir);
  return {
    derivedFrom: 'AWS Config conformance pack templates (rule identifiers and scopes only)',
    source: PACK_SOURCE,
    packs: ACSC_PACKS.map((name) => {
      const text = fs.readFileSync(path.join(referenceDir, 'config-conformance-packs', `${name}.yaml`), 'utf8');
      const doc = YAML.parse(text);
      // Part 2 states the ISM control of each rule in a comment line above the resource.
      /** @type {Map<string,string>} */
      const commentedControl = new Map();
      let pending = null;
      for (const line of text.split('\n')) {
        const m = /^\s*# Control ID: (\d+)/.exec(line);
        if (m) pending = `ism-${m[1].padStart(4, '0')}`;
        else if (pending && /^  [A-Za-z0-9]+:\s*$/.test(line)) {
          commentedControl.set(line.trim().slice(0, -1), pending);
          pending = null;
        }
      }
      /** @type {Map<string, any>} */
      const rules = new Map();
      for (const [logicalId, res] of Object.entries(doc.Resources)) {
        const src = res.Properties?.Source;
        if (res.Type !== 'AWS::Config::ConfigRule' || src?.Owner !== 'AWS' || src.SourceIdentifier === 'AWS_CONFIG_PROCESS_CHECK') continue;
        const id = src.SourceIdentifier;
        const scoped = res.Properties.Scope?.ComplianceResourceTypes;
        const rule = rules.get(id) ?? { identifier: id, ruleName: res.Properties.ConfigRuleName, resourceTypes: scoped ?? knownTypes.get(id) ?? [] };
        const controlId = commentedControl.get(logicalId);
        if (controlId) rule.statedControlIds = [...new Set([...(rule.statedControlIds ?? []), controlId])];
        rules.set(id, rule);
      }
      return { name, rules: [...rules.values()].sort((a, b) => a.identifier.localeCompare(b.identifier)) };
    }),
  };
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const [referenceDir = path.join(__dirname, '..', '..', 'shared', 'reference'), outDir = path.join(__dirname, '..', 'src', 'facts')] = args.filter((a) => a !== '--check');
  const oscalDir = path.join(referenceDir, 'ism-oscal');
  const catalog = JSON.parse(fs.readFileSync(path.join(oscalDir, 'ISM_catalog.json'), 'utf8')).catalog;
  const outputs = {
    'ism-index.json': deriveIsmIndex(catalog, readProfiles(oscalDir)),
    'conformance-packs.json': deriveConformancePacks(referenceDir),
    'managed-rules.json': deriveManagedRules(referenceDir),
  };
  let stale = false;
  for (const [file, data] of Object.entries(outputs)) {
    const text = `${JSON.stringify(data, null, 1)}\n`;
    const target = path.join(outDir, file);
    if (check) {
      const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
      if (!same) { stale = true; console.error(`${target}: differs from what the reference derives`); }
    } else {
      fs.writeFileSync(target, text);
      console.log(`wrote ${target} (${text.length} bytes)`);
    }
  }
  if (stale) process.exit(1);
}

module.exports = { deriveIsmIndex };

if (require.main === module) main();
