#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Derives mappings/ciso-assistant/essential-eight.yaml: for each assessable requirement node of
 * CISO Assistant's essential-eight framework library, the ISM controls that state the same
 * requirement at each of the node's maturity levels. The library file is someone else's data and
 * is not kept in this repository: pass a copy of it (the commit below). The output holds facts
 * only (URNs, control ids, levels, scores); no requirement or statement text is copied.
 *
 * The measure (docs/ciso-assistant.md, "How the essential-eight mapping is derived"):
 *   1. Both texts are normalised: Unicode NFKC, lower case, apostrophes dropped, every run of
 *      other characters than letters and digits one space, then split into words.
 *   2. Score: the cosine similarity of their TF-IDF word vectors, the inverse document
 *      frequency counted over the statements of the ISM catalog (smoothed:
 *      idf(w) = 1 + ln((1 + N) / (1 + df(w)))), so shared rare words ("PDF", "drivers") weigh
 *      more than shared common ones ("is", "the").
 *   3. For each maturity level of a node, the candidates are the ISM controls of that level's
 *      baseline (essential-eight-applicability MLn), best first. The first candidate that
 *      scores at least THRESHOLD and is reciprocal (no other node scores higher against that
 *      control, so a sentence the ISM has reworded does not take its neighbour's control) is the
 *      node's control at that level, with any that tie with it. Without one, the level is listed
 *      as unmatched, with why.
 *
 * Usage: node scripts/derive-ciso-e8.js LIBRARY_FILE [REFERENCE_DIR] [OUT_FILE] [--review]
 *   REFERENCE_DIR defaults to ../shared/reference, OUT_FILE to mappings/ciso-assistant/essential-eight.yaml.
 *   --review prints each node's sentence beside the statements it matched (both texts: for a
 *   person to read, never to commit) instead of writing the file.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ISM_NS = 'https://cyber.gov.au/ns/ism/oscal/3.0';
/** The version of the library read, which the output's provenance names. */
const SOURCE = {
  repository: 'intuitem/ciso-assistant-community',
  path: 'backend/library/libraries/essential-eight.yaml',
  commit: '01d194d5cff88ab84d35b3c81b94dc8a91916333',
};
const FRAMEWORK = 'urn:intuitem:risk:framework:essential-eight';
/**
 * The lowest score accepted. Chosen by reading every match (--review): the lowest correct one,
 * 0.737, is a reworded requirement (ISM-1649, whose scope the ISM now words differently); with the
 * reciprocal check no wrong candidate above 0.7 is accepted.
 */
const THRESHOLD = 0.7;
const LEVELS = ['ML1', 'ML2', 'ML3'];
/** Differing words are named in a rationale up to this many a side; beyond, they are counted. */
const NAMED_WORDS = 4;

/** @param {string} text @returns {string[]} */
function words(text) {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['\u2018\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/**
 * TF-IDF cosine similarity with document frequencies from `corpus`.
 * @param {string[][]} corpus
 */
function tfIdfMeasure(corpus) {
  /** @type {Map<string, number>} */
  const df = new Map();
  for (const doc of corpus) for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (/** @type {string} */ w) => 1 + Math.log((1 + corpus.length) / (1 + (df.get(w) ?? 0)));
  /** @param {string[]} doc */
  const vector = (doc) => {
    /** @type {Map<string, number>} */
    const weights = new Map();
    for (const w of doc) weights.set(w, (weights.get(w) ?? 0) + idf(w));
    const norm = Math.sqrt([...weights.values()].reduce((s, v) => s + v * v, 0));
    return { weights, norm };
  };
  /** @param {ReturnType<typeof vector>} a @param {ReturnType<typeof vector>} b */
  const cosine = (a, b) => {
    if (!a.norm || !b.norm) return 0;
    let dot = 0;
    for (const [w, v] of a.weights) dot += v * (b.weights.get(w) ?? 0);
    return dot / (a.norm * b.norm);
  };
  return { vector, cosine };
}

/** Scores are kept to three decimals, so re-derivations compare equal. @param {number} s */
const rounded = (s) => Math.round(s * 1000) / 1000;

/** @param {any} catalog @returns {{ id: string, levels: string[], statement: string }[]} */
function ismControls(catalog) {
  /** @type {{ id: string, levels: string[], statement: string }[]} */
  const found = [];
  /** @param {any[]} groups */
  const walk = (groups) => {
    for (const g of groups ?? []) {
      for (const c of g.controls ?? []) {
        const statement = (c.parts ?? []).find((/** @type {any} */ p) => p.name === 'statement')?.prose;
        if (c.class !== 'ISM-control' || typeof statement !== 'string') continue;
        const levels = (c.props ?? []).filter((/** @type {any} */ p) => p.ns === ISM_NS && p.name === 'essential-eight-applicability').map((/** @type {any} */ p) => p.value);
        found.push({ id: c.id, levels, statement });
      }
      walk(g.groups);
    }
  };
  walk(catalog.groups);
  return found;
}

/** @param {any} library @returns {{ urn: string, levels: string[], description: string }[]} */
function assessableNodes(library) {
  const framework = library?.objects?.framework;
  if (framework?.urn !== FRAMEWORK) throw new Error(`the library's framework is ${framework?.urn}, not ${FRAMEWORK}`);
  return framework.requirement_nodes
    .filter((/** @type {any} */ n) => n.assessable === true)
    .map((/** @type {any} */ n) => {
      if (typeof n.description !== 'string') throw new Error(`${n.urn}: assessable node without a description`);
      const levels = (n.implementation_groups ?? []).map((/** @type {string} */ g) => `ML${g}`);
      const unknown = levels.find((/** @type {string} */ l) => !LEVELS.includes(l));
      if (unknown || !levels.length) throw new Error(`${n.urn}: implementation_groups ${JSON.stringify(n.implementation_groups)} are not maturity levels 1 to 3`);
      return { urn: n.urn, levels, description: n.description };
    });
}

/** The words only one of two texts has, named when few. @param {string[]} node @param {string[]} ism */
function wordDifference(node, ism) {
  const onlyNode = [...new Set(node.filter((w) => !ism.includes(w)))];
  const onlyIsm = [...new Set(ism.filter((w) => !node.includes(w)))];
  if (node.join(' ') === ism.join(' ')) return 'identical after normalisation';
  if (!onlyNode.length && !onlyIsm.length) return 'the same words, in another order or count';
  const side = (/** @type {string[]} */ list) => (list.length > NAMED_WORDS ? `${list.length} words` : list.join(' ') || 'nothing');
  return `reworded (E8 only: ${side(onlyNode)}; ISM only: ${side(onlyIsm)})`;
}

/** ML1, ML2, ML3 as "ML1-ML3", others as a list. @param {string[]} levels */
function levelText(levels) {
  return levels.length === 3 ? 'ML1-ML3' : levels.join(', ');
}

/**
 * Matches every assessable node of the library to ISM controls, per maturity level.
 * @param {any} library the parsed library file
 * @param {any} catalog the ISM OSCAL catalog (its `catalog` object)
 */
function deriveMatches(library, catalog) {
  const controls = ismControls(catalog);
  const nodes = assessableNodes(library);
  const measure = tfIdfMeasure(controls.map((c) => words(c.statement)));
  const controlWords = controls.map((c) => words(c.statement));
  const controlVectors = controlWords.map((w) => measure.vector(w));
  const nodeWords = nodes.map((n) => words(n.description));
  const nodeVectors = nodeWords.map((w) => measure.vector(w));
  const score = (/** @type {number} */ n, /** @type {number} */ c) => rounded(measure.cosine(nodeVectors[n], controlVectors[c]));
  /**
   * For the reciprocal check, per level: the best score against control `c` of any node at that
   * level (a node of another level competes for no control at this one).
   */
  const atLevel = (/** @type {string} */ level) => nodes.map((_, n) => n).filter((n) => nodes[n].levels.includes(level));
  const bestNodeScore = (/** @type {string} */ level, /** @type {number} */ c) => Math.max(...atLevel(level).map((n) => score(n, c)));
  const closestNode = (/** @type {string} */ level, /** @type {number} */ c) => nodes[atLevel(level).find((n) => score(n, c) === bestNodeScore(level, c)) ?? 0].urn;

  return nodes.map((node, n) => {
    /** @type {Map<number, string[]>} control index -> levels it was matched at */
    const matched = new Map();
    /** @type {{ level: string, why: string }[]} */
    const unmatched = [];
    for (const level of node.levels) {
      const ranked = controls
        .map((c, i) => ({ i, s: score(n, i), at: c.levels.includes(level) }))
        .filter((r) => r.at)
        .sort((a, b) => b.s - a.s || a.i - b.i);
      const acceptable = (/** @type {{ i: number, s: number }} */ r) => r.s >= THRESHOLD && r.s >= bestNodeScore(level, r.i);
      const chosen = ranked.find(acceptable);
      if (chosen) {
        // Controls that tie with it all state the requirement: the import combines their statuses.
        for (const r of ranked.filter((r) => r.s === chosen.s && acceptable(r))) matched.set(r.i, [...(matched.get(r.i) ?? []), level]);
        continue;
      }
      const best = ranked[0];
      unmatched.push({
        level,
        why: !best
          ? `no ISM control is at ${level}`
          : best.s < THRESHOLD
            ? `best ${level} candidate ${controls[best.i].id} scores ${best.s}, below ${THRESHOLD}`
            : `best ${level} candidate ${controls[best.i].id} (${best.s}) is closer to ${closestNode(level, best.i).split(':').pop()}, and no other ${level} control reaches ${THRESHOLD} reciprocally`,
      });
    }
    const matches = [...matched].map(([i, levels]) => ({ control: controls[i].id, levels, score: score(n, i) }));
    const said = [...matched].map(([i, levels]) => `${levelText(levels)}: ${controls[i].id}, ${wordDifference(nodeWords[n], controlWords[i])}`);
    const rationale = [...said, ...unmatched.map((u) => `${u.level} unmatched`)].join('; ');
    return {
      urn: node.urn,
      maturityLevels: node.levels,
      matches,
      ...(unmatched.length ? { unmatched: { levels: unmatched.map((u) => u.level), reason: unmatched.map((u) => u.why).join('; ') } } : {}),
      rationale,
      // For --review only: both texts, printed for a person, never written to the file.
      review: { description: node.description, statements: [...matched.keys()].map((i) => `${controls[i].id}: ${controls[i].statement}`) },
    };
  });
}

/** @param {ReturnType<typeof deriveMatches>} nodes */
function coverage(nodes) {
  const levelCount = nodes.reduce((s, n) => s + n.maturityLevels.length, 0);
  const matchedLevels = nodes.reduce((s, n) => s + n.matches.reduce((t, m) => t + m.levels.length, 0), 0);
  return {
    nodes: nodes.length,
    fullyMatched: nodes.filter((n) => !n.unmatched).length,
    partlyMatched: nodes.filter((n) => n.unmatched && n.matches.length).length,
    unmatched: nodes.filter((n) => !n.matches.length).length,
    levels: `${matchedLevels} of ${levelCount} node levels matched`,
    perLevel: Object.fromEntries(LEVELS.map((l) => [l, `${nodes.filter((n) => n.matches.some((m) => m.levels.includes(l))).length} of ${nodes.filter((n) => n.maturityLevels.includes(l)).length}`])),
  };
}

const sha256 = (/** @type {Buffer} */ bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

const HEADER = [
  "CISO Assistant's essential-eight requirement nodes and the ISM controls that state the same requirement,",
  'per maturity level. Facts only (URNs, control ids, levels, scores): no requirement or statement text.',
  'Generated by scripts/derive-ciso-e8.js from the files named below; do not edit by hand, re-run it.',
  'docs/ciso-assistant.md describes the measure and how report --format ciso-assistant uses this file.',
].map((l) => `# ${l}`).join('\n');

function main() {
  const args = process.argv.slice(2);
  const review = args.includes('--review');
  const [libraryFile, referenceDir = path.join(__dirname, '..', '..', 'shared', 'reference'), outFile = path.join(__dirname, '..', 'mappings', 'ciso-assistant', 'essential-eight.yaml')] = args.filter((a) => !a.startsWith('--'));
  if (!libraryFile) {
    console.error('usage: node scripts/derive-ciso-e8.js LIBRARY_FILE [REFERENCE_DIR] [OUT_FILE] [--review]');
    process.exit(2);
  }
  const libraryBytes = fs.readFileSync(libraryFile);
  const catalogFile = path.join(referenceDir, 'ism-oscal', 'ISM_catalog.json');
  const catalogBytes = fs.readFileSync(catalogFile);
  const catalog = JSON.parse(catalogBytes.toString('utf8')).catalog;
  const nodes = deriveMatches(YAML.parse(libraryBytes.toString('utf8')), catalog);
  if (review) {
    for (const n of nodes) {
      console.log(`${n.urn.split(':').pop()} [${n.maturityLevels.join(' ')}] ${n.matches.map((m) => `${m.control}@${m.levels.join('/')}=${m.score}`).join(' ')}${n.unmatched ? `  UNMATCHED ${n.unmatched.levels.join('/')}: ${n.unmatched.reason}` : ''}`);
      console.log(`  E8 : ${n.review.description}`);
      for (const s of n.review.statements) console.log(`  ISM ${s}`);
    }
    console.log(JSON.stringify(coverage(nodes), null, 1));
    return;
  }
  const data = {
    source: { ...SOURCE, sha256: sha256(libraryBytes), framework: FRAMEWORK },
    ism: { release: catalog.metadata.version, catalog: 'ISM_catalog.json', sha256: sha256(catalogBytes) },
    derivation: { script: 'scripts/derive-ciso-e8.js', date: new Date().toISOString().slice(0, 10), measure: 'tf-idf-cosine', threshold: THRESHOLD },
    nodes: nodes.map(({ review: _review, ...n }) => n),
  };
  const doc = new YAML.Document(data);
  // Level and control lists on one line each, so a node reads in a few lines.
  YAML.visit(doc, { Seq: (_, seq) => void (seq.flow = seq.items.every((i) => YAML.isScalar(i))) });
  const text = `${HEADER}\n${doc.toString({ lineWidth: 0 })}`;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, text);
  console.log(`wrote ${outFile} (${text.length} bytes)`);
  console.log(JSON.stringify(coverage(nodes), null, 1));
}

module.exports = { words, tfIdfMeasure, deriveMatches, THRESHOLD };

if (require.main === module) main();
