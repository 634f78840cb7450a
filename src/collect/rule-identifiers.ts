import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROCESS_CHECK_IDENTIFIER, templateName } from '../evidence/records';
import facts from '../facts/conformance-packs.json';
import { BUILTIN_MAPPINGS_DIR } from '../mapping/mappings';

/**
 * The managed rule identifier behind a rule name, for rules read through an aggregator: the
 * aggregate APIs name rules but never return their source. Conformance packs deploy a
 * template rule as `<template name>-conformance-pack-<random>` (or under the template name
 * itself), so the ACSC ISM and Essential Eight templates auditpack knows tell the identifier,
 * and the built-in process checks (mappings/process-checks.yaml) are known by name.
 * Any other rule stays unresolved: guessing from a name could tie evidence to the wrong control.
 */
const IDENTIFIER_BY_TEMPLATE_NAME = new Map<string, string>(facts.packs.flatMap((p) => p.rules.map((r) => [r.ruleName, r.identifier] as [string, string])));
const PROCESS_CHECK_NAMES = new Set(Object.keys(parse(readFileSync(path.join(BUILTIN_MAPPINGS_DIR, 'process-checks.yaml'), 'utf8')).processChecks));

export function managedRuleIdentifier(ruleName: string): string | null {
  const template = templateName(ruleName);
  if (PROCESS_CHECK_NAMES.has(template)) return PROCESS_CHECK_IDENTIFIER;
  return IDENTIFIER_BY_TEMPLATE_NAME.get(template) ?? null;
}
