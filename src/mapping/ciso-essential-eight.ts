import path from 'node:path';
import { z } from 'zod';
import { controlId } from '../evidence/records';
import { YamlFile } from '../util/yaml-file';

/**
 * Which ISM controls state each requirement of CISO Assistant's own essential-eight framework
 * (mappings/ciso-assistant/essential-eight.yaml, derived by scripts/derive-ciso-e8.js; the
 * measure and the figures are in docs/ciso-assistant.md). Facts only: URNs, control ids, levels
 * and scores, never the requirement text.
 */
export const BUILTIN_ESSENTIAL_EIGHT_MAPPING = path.join(__dirname, '..', '..', 'mappings', 'ciso-assistant', 'essential-eight.yaml');

export const MATURITY_LEVELS = ['ML1', 'ML2', 'ML3'] as const;
export type MaturityLevel = (typeof MATURITY_LEVELS)[number];

/** The framework the file maps, and so the prefix of every node URN in it. */
const ESSENTIAL_EIGHT_FRAMEWORK = 'urn:intuitem:risk:framework:essential-eight';
const NODE_URN = /^urn:intuitem:risk:req_node:essential-eight:[a-z0-9-]+$/;

const level = z.enum(MATURITY_LEVELS, 'must be ML1, ML2 or ML3');
const levels = z.array(level).min(1);
const score = z.number().min(0).max(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');

const SCHEMA = z.strictObject({
  source: z.strictObject({
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
    path: z.string().min(1),
    commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-digit commit id'),
    sha256,
    framework: z.literal(ESSENTIAL_EIGHT_FRAMEWORK),
  }),
  ism: z.strictObject({ release: z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,2}$/, 'must be an ISM release such as 2025.12.9'), catalog: z.string().min(1), sha256 }),
  derivation: z.strictObject({ script: z.string().min(1), date: z.iso.date(), measure: z.string().min(1), threshold: score }),
  nodes: z
    .array(
      z.strictObject({
        urn: z.string().regex(NODE_URN, 'must be a requirement node URN of the essential-eight framework (urn:intuitem:risk:req_node:essential-eight:...)'),
        maturityLevels: levels,
        matches: z.array(z.strictObject({ control: controlId, levels, score })),
        unmatched: z.strictObject({ levels, reason: z.string().min(1) }).optional(),
        rationale: z.string().min(1),
      }),
    )
    .min(1),
});

/** One ISM control stating a node's requirement at some of its maturity levels. */
export interface EssentialEightMatch {
  control: string;
  levels: readonly MaturityLevel[];
  score: number;
}

export interface EssentialEightNode {
  urn: string;
  maturityLevels: readonly MaturityLevel[];
  /** Empty when no ISM control states the requirement at any of its levels. */
  matches: readonly EssentialEightMatch[];
  /** The levels no control matched, and why; null when every level has one. */
  unmatched: { levels: readonly MaturityLevel[]; reason: string } | null;
  rationale: string;
}

export interface EssentialEightMapping {
  file: string;
  /** The library file the nodes were read from, as the fixture's provenance names it. */
  source: { repository: string; path: string; commit: string; sha256: string };
  /** The ISM release whose statements the nodes were matched to. */
  ismRelease: string;
  threshold: number;
  nodes: readonly EssentialEightNode[];
}

/** The ISM controls a node maps to at one maturity level, in the file's order. */
export function controlsAt(node: EssentialEightNode, at: MaturityLevel): string[] {
  return node.matches.filter((m) => m.levels.includes(at)).map((m) => m.control);
}

/**
 * Loads and checks the mapping: beyond its schema, URNs are unique, every maturity level of a
 * node is either matched or listed as unmatched (not both, never silently missing), a match is
 * only at the node's own levels and scores at least the threshold. Errors name the file and line.
 */
export function loadEssentialEightMapping(file: string = BUILTIN_ESSENTIAL_EIGHT_MAPPING): EssentialEightMapping {
  const f = YamlFile.load(file, SCHEMA);
  const { threshold } = f.data.derivation;
  const seen = new Map<string, number>();
  const nodes = f.data.nodes.map((n, i): EssentialEightNode => {
    const at = ['nodes', i];
    const first = seen.get(n.urn);
    if (first !== undefined) throw f.error([...at, 'urn'], `${n.urn} is also node ${first + 1}'s URN`);
    seen.set(n.urn, i);
    const twice = n.maturityLevels.find((l, j) => n.maturityLevels.indexOf(l) !== j);
    if (twice) throw f.error([...at, 'maturityLevels'], `${n.urn}: ${twice} is listed twice`);
    const matchedAt = new Set<MaturityLevel>();
    n.matches.forEach((m, j) => {
      const foreign = m.levels.find((l) => !n.maturityLevels.includes(l));
      if (foreign) throw f.error([...at, 'matches', j, 'levels'], `${n.urn}: ${m.control} is matched at ${foreign}, which is not one of the node's maturity levels (${n.maturityLevels.join(', ')})`);
      if (m.score < threshold) throw f.error([...at, 'matches', j, 'score'], `${n.urn}: ${m.control} scores ${m.score}, below the threshold ${threshold}`);
      for (const l of m.levels) matchedAt.add(l);
    });
    const unmatched = n.unmatched?.levels ?? [];
    const both = unmatched.find((l) => matchedAt.has(l));
    if (both) throw f.error([...at, 'unmatched', 'levels'], `${n.urn}: ${both} is both matched and listed as unmatched`);
    const foreign = unmatched.find((l) => !n.maturityLevels.includes(l));
    if (foreign) throw f.error([...at, 'unmatched', 'levels'], `${n.urn}: ${foreign} is not one of the node's maturity levels (${n.maturityLevels.join(', ')})`);
    const missing = n.maturityLevels.find((l) => !matchedAt.has(l) && !unmatched.includes(l));
    if (missing) throw f.error(at, `${n.urn}: no match at ${missing}, and it is not listed under unmatched with a reason`);
    return { urn: n.urn, maturityLevels: n.maturityLevels, matches: n.matches, unmatched: n.unmatched ?? null, rationale: n.rationale };
  });
  const { repository, path: sourcePath, commit, sha256: sourceHash } = f.data.source;
  return { file, source: { repository, path: sourcePath, commit, sha256: sourceHash }, ismRelease: f.data.ism.release, threshold, nodes };
}

let builtin: EssentialEightMapping | undefined;
/** The shipped mapping, loaded once. */
export function builtinEssentialEightMapping(): EssentialEightMapping {
  builtin ??= loadEssentialEightMapping();
  return builtin;
}
