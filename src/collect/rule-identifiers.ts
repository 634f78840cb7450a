import facts from '../facts/conformance-packs.json';

/**
 * The managed rule identifier behind a rule name, for rules read through an aggregator: the
 * aggregate APIs name rules but never return their source. Conformance packs deploy a
 * template rule as `<template name>-conformance-pack-<random>` (or under the template name
 * itself), so the ACSC ISM and Essential Eight templates auditpack knows tell the identifier.
 * Any other rule stays unresolved: guessing from a name could tie evidence to the wrong control.
 */
const IDENTIFIER_BY_TEMPLATE_NAME = new Map<string, string>(facts.packs.flatMap((p) => p.rules.map((r) => [r.ruleName, r.identifier] as [string, string])));

const CONFORMANCE_PACK_SUFFIX = /-conformance-pack-[a-z0-9]+$/;

export function managedRuleIdentifier(ruleName: string): string | null {
  return IDENTIFIER_BY_TEMPLATE_NAME.get(ruleName.replace(CONFORMANCE_PACK_SUFFIX, '')) ?? null;
}
