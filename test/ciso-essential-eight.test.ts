import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STATUSES, type Status } from '../src/assess/result';
import { builtinCatalog, baselineControls } from '../src/mapping/catalog';
import { BUILTIN_ESSENTIAL_EIGHT_MAPPING, controlsAt, loadEssentialEightMapping, MATURITY_LEVELS } from '../src/mapping/ciso-essential-eight';
import { worstStatus } from '../src/render/ciso-assistant/essential-eight';
import { CISO_ASSISTANT_STATUS } from '../src/render/ciso-assistant/statuses';
import { useTempDir } from './helpers/tmp';

interface Derived {
  urn: string;
  maturityLevels: string[];
  matches: { control: string; levels: string[]; score: number }[];
  unmatched?: { levels: string[]; reason: string };
  rationale: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const derive = require('../scripts/derive-ciso-e8.js') as {
  words(text: string): string[];
  deriveMatches(library: unknown, catalog: unknown): Derived[];
  THRESHOLD: number;
};

const ROOT = path.join(__dirname, '..');
const tmp = useTempDir('auditpack-ciso-e8-');
const lineOf = (text: string, needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('the shipped essential-eight mapping', () => {
  const mapping = loadEssentialEightMapping();
  const catalog = builtinCatalog();
  const byId = new Map(catalog.controls.map((c) => [c.id, c]));

  test('names the library file and ISM release it was derived from', () => {
    expect(mapping.source).toEqual({
      repository: 'intuitem/ciso-assistant-community',
      path: 'backend/library/libraries/essential-eight.yaml',
      commit: '01d194d5cff88ab84d35b3c81b94dc8a91916333',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(mapping.ismRelease).toBe(catalog.version);
  });

  test('every control it names is in the ISM release, at the maturity levels it is matched at', () => {
    for (const node of mapping.nodes) {
      for (const m of node.matches) {
        const control = byId.get(m.control);
        expect(control).toBeDefined();
        for (const l of m.levels) expect(control!.essentialEight).toContain(l);
      }
    }
  });

  test('copies no requirement text: every rationale is one short line of ours', () => {
    const text = readFileSync(BUILTIN_ESSENTIAL_EIGHT_MAPPING, 'utf8');
    expect(text).not.toMatch(/description|statement:|prose/);
    for (const node of mapping.nodes) {
      expect(node.rationale).not.toContain('\n');
      expect(node.rationale.length).toBeLessThan(200);
    }
  });

  test('no node is dropped: an unmatched level carries a reason', () => {
    for (const node of mapping.nodes) {
      const covered = new Set([...node.matches.flatMap((m) => m.levels), ...(node.unmatched?.levels ?? [])]);
      expect([...covered].sort()).toEqual([...node.maturityLevels].sort());
      if (node.unmatched) expect(node.unmatched.reason).toMatch(/ism-\d{4}|no ISM control/);
    }
  });

  test('docs/ciso-assistant.md gives its coverage figures', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'ciso-assistant.md'), 'utf8');
    const full = mapping.nodes.filter((n) => !n.unmatched).length;
    expect(doc).toContain(`${full} of its ${mapping.nodes.length} assessable requirement nodes`);
    for (const level of MATURITY_LEVELS) {
      const at = mapping.nodes.filter((n) => n.maturityLevels.includes(level));
      const matched = at.filter((n) => controlsAt(n, level).length);
      const stated = new Set(mapping.nodes.flatMap((n) => controlsAt(n, level)));
      const ism = baselineControls(catalog, `E8_${level}`);
      expect(doc).toContain(`| ${level} | ${matched.length} of ${at.length} | ${ism.filter((c) => stated.has(c.id)).length} of ${ism.length} |`);
    }
  });
});

describe('loading the mapping', () => {
  const shipped = readFileSync(BUILTIN_ESSENTIAL_EIGHT_MAPPING, 'utf8');
  /** The text of one node's entry, from its "- urn:" line to the next node's. */
  const block = (text: string, node: string) => {
    const start = text.indexOf(`  - urn: urn:intuitem:risk:req_node:essential-eight:${node}\n`);
    const end = text.indexOf('  - urn: ', start + 1);
    return { start, end, body: text.slice(start, end) };
  };
  /** The file with one node's entry edited, and the index of that entry's first line. */
  const editNode = (node: string, edit: (body: string) => string) => {
    const b = block(shipped, node);
    const edited = edit(b.body);
    expect(edited).not.toBe(b.body);
    return { text: shipped.slice(0, b.start) + edited + shipped.slice(b.end), from: shipped.slice(0, b.start).split('\n').length - 1 };
  };
  let n = 0;
  const write = (text: string) => {
    const file = path.join(tmp(), `essential-eight-${++n}.yaml`);
    writeFileSync(file, text);
    return file;
  };

  test('the shipped file loads', () => {
    expect(loadEssentialEightMapping(write(shipped)).nodes.length).toBeGreaterThan(100);
  });

  test.each<[string, string, (b: string) => string, string, string]>([
    ['a URN used twice', 'node4', (b) => b.replace('essential-eight:node4', 'essential-eight:node3'), 'essential-eight:node3', "urn:intuitem:risk:req_node:essential-eight:node3 is also node 1's URN"],
    ['a match at a level the node does not have', 'node10', (b) => b.replace('levels: [ ML3 ]', 'levels: [ ML2 ]'), 'levels: [ ML2 ]', 'ism-1692 is matched at ML2, which is not one of the node\'s maturity levels (ML3)'],
    ['a score below the threshold', 'node10', (b) => b.replace(/score: [\d.]+/, 'score: 0.5'), 'score: 0.5', 'ism-1692 scores 0.5, below the threshold'],
    ['a level both matched and unmatched', 'node11', (b) => b.replace('levels: [ ML3 ]', 'levels: [ ML2 ]'), 'levels: [ ML2 ]', 'ML2 is both matched and listed as unmatched'],
    ['a level neither matched nor listed as unmatched', 'node11', (b) => b.replace(/ {4}unmatched:\n.*\n.*\n/, ''), 'urn: urn:intuitem:risk:req_node:essential-eight:node11', 'no match at ML3, and it is not listed under unmatched with a reason'],
    ['a control id that is not one', 'node10', (b) => b.replace('control: ism-1692', 'control: ism-16x2'), 'control: ism-16x2', 'matches.0.control: must be an ISM id such as ism-1234'],
    ['a URN of another framework', 'node10', (b) => b.replace('urn:intuitem:risk:req_node:essential-eight:node10', 'urn:auditpack:risk:req_node:e8:node10'), 'urn:auditpack:risk:req_node:e8:node10', 'must be a requirement node URN of the essential-eight framework'],
    ['a maturity level that is not one', 'node10', (b) => b.replace('maturityLevels: [ ML3 ]', 'maturityLevels: [ ML4 ]'), 'maturityLevels: [ ML4 ]', 'must be ML1, ML2 or ML3'],
    ['an unknown key', 'node10', (b) => b.replace('    rationale:', '    comment: checked by hand\n    rationale:'), 'comment: checked by hand', 'Unrecognized key: "comment"'],
  ])('%s is an error naming the file and line', (_label, node, edit, needle, message) => {
    const { text, from } = editNode(node, edit);
    const file = write(text);
    // The line of the fault is where the needle first appears within the edited entry.
    const line = lineOf(text, needle, from);
    expect(() => loadEssentialEightMapping(file)).toThrow(`${file}:${line}: `);
    expect(() => loadEssentialEightMapping(file)).toThrow(message);
  });

  test('a missing file is one line naming it', () => {
    const file = path.join(tmp(), 'none.yaml');
    expect(() => loadEssentialEightMapping(file)).toThrow(`${file}: cannot read (ENOENT)`);
  });
});

describe('the derivation (scripts/derive-ciso-e8.js)', () => {
  test('normalises case, punctuation, apostrophes and spacing', () => {
    expect(derive.words("Microsoft\u2019s  recommended\tblock-list, (e.g.) IS implemented.")).toEqual(['microsofts', 'recommended', 'block', 'list', 'e', 'g', 'is', 'implemented']);
  });

  const control = (id: string, levels: string[], prose: string) => ({
    id,
    class: 'ISM-control',
    props: levels.map((value) => ({ name: 'essential-eight-applicability', ns: 'https://cyber.gov.au/ns/ism/oscal/3.0', value })),
    parts: [{ name: 'statement', prose }],
  });
  const catalog = {
    groups: [
      {
        groups: [
          {
            controls: [
              control('ism-0001', ['ML1', 'ML2', 'ML3'], 'Scanners are run daily against online services.'),
              control('ism-0002', ['ML1', 'ML2', 'ML3'], 'Scanners are run weekly against office suites and PDF applications.'),
              control('ism-0003', ['ML2'], 'Phishing-resistant tokens are offered for customers of online customer services.'),
              control('ism-0004', ['ML3'], 'Phishing-resistant tokens are required for customers of online customer services.'),
              control('ism-0005', ['ML2', 'ML3'], 'Backups are kept offline.'),
              control('ism-0006', [], 'Backups are tested yearly by the owner.'),
              control('ism-0007', ['ML1'], 'Event logs are kept centrally.'),
              control('ism-0008', ['ML1'], 'Event logs are kept centrally.'),
              control('ism-0009', ['ML2'], 'Macros from the internet are blocked for every user and every workstation.'),
            ],
          },
        ],
      },
    ],
  };
  const node = (id: string, groups: string[], description: string) => ({ urn: `urn:intuitem:risk:req_node:essential-eight:${id}`, assessable: true, depth: 2, description, implementation_groups: groups });
  const library = {
    objects: {
      framework: {
        urn: 'urn:intuitem:risk:framework:essential-eight',
        requirement_nodes: [
          { urn: 'urn:intuitem:risk:req_node:essential-eight:1', assessable: false, depth: 1, name: 'A strategy' },
          node('node2', ['1', '2', '3'], 'Scanners are run daily against online services.'),
          node('node3', ['1', '2', '3'], 'Scanners are run weekly against office suites and PDF software.'),
          node('node4', ['2', '3'], 'Phishing-resistant tokens are required for customers of online customer services.'),
          node('node5', ['3'], 'Backups are tested yearly.'),
          node('node6', ['1', '2', '3'], 'Scanners are run daily against online services.'),
          node('node7', ['1'], 'Event logs are kept centrally.'),
          node('node8', ['2'], 'Macros from the internet are blocked for every user.'),
          node('node9', ['3'], 'Macros from the internet are blocked for every user and every workstation.'),
        ],
      },
    },
  };
  const derived = derive.deriveMatches(library, catalog);
  const of = (id: string) => derived.find((d) => d.urn.endsWith(`:${id}`))!;

  test('an identical sentence scores 1, and one sentence under two strategies maps to the same control', () => {
    expect(of('node2').matches).toEqual([{ control: 'ism-0001', levels: ['ML1', 'ML2', 'ML3'], score: 1 }]);
    expect(of('node6').matches).toEqual(of('node2').matches);
    expect(of('node2').rationale).toBe('ML1-ML3: ism-0001, identical after normalisation');
  });

  test('a reworded sentence matches its control, not the neighbour that shares more common words', () => {
    expect(of('node3').matches.map((m) => m.control)).toEqual(['ism-0002']);
    expect(of('node3').matches[0].score).toBeLessThan(1);
    expect(of('node3').rationale).toContain('reworded (E8 only: software; ISM only: applications)');
  });

  test('each maturity level looks among that level\'s controls, reciprocally', () => {
    // At ML2 the ISM offers rather than requires: ism-0003 is matched there, ism-0004 at ML3.
    expect(of('node4').matches).toEqual([
      { control: 'ism-0003', levels: ['ML2'], score: expect.any(Number) },
      { control: 'ism-0004', levels: ['ML3'], score: 1 },
    ]);
    expect(of('node4').matches[0].score).toBeGreaterThanOrEqual(derive.THRESHOLD);
  });

  test('a node competes reciprocally only with nodes of the same level', () => {
    // node9 states ism-0009 word for word, but at ML3, where ism-0009 is not: it takes nothing from node8 at ML2.
    expect(of('node8').matches).toEqual([{ control: 'ism-0009', levels: ['ML2'], score: expect.any(Number) }]);
    expect(of('node8').matches[0].score).toBeLessThan(1);
    expect(of('node9').matches).toEqual([]);
  });

  test('controls that tie at one level all state the requirement', () => {
    expect(of('node7').matches).toEqual([
      { control: 'ism-0007', levels: ['ML1'], score: 1 },
      { control: 'ism-0008', levels: ['ML1'], score: 1 },
    ]);
  });

  test('a level without an acceptable match is listed with the reason, not dropped', () => {
    // ism-0006 states it, but is at no maturity level; ism-0005 at ML3 is too far from it.
    expect(of('node5').matches).toEqual([]);
    expect(of('node5').unmatched).toEqual({ levels: ['ML3'], reason: expect.stringMatching(/^best ML3 candidate ism-0005 scores [\d.]+, below 0\.7$/) });
    expect(of('node5').rationale).toBe('ML3 unmatched');
  });
});

describe('combining the statuses of several controls', () => {
  test('the worst status wins', () => {
    expect(worstStatus(['compliant', 'not-assessed'])).toBe('not-assessed');
    expect(worstStatus(['attested', 'non-compliant', 'compliant'])).toBe('non-compliant');
    expect(worstStatus(['compliant', 'not-applicable'])).toBe('compliant');
    expect(worstStatus(['compliant'])).toBe('compliant');
  });

  test('a known failure outranks a control nobody assessed, whatever the status order says', () => {
    // risk-accepted comes after not-assessed in auditpack's order, but CISO Assistant shows it non_compliant.
    expect(worstStatus(['not-assessed', 'risk-accepted'])).toBe('risk-accepted');
    expect(worstStatus(['insufficient-evidence', 'risk-accepted', 'attested'])).toBe('risk-accepted');
  });

  test('never gives a better CISO Assistant result than any of the controls, and ties follow the status order', () => {
    const order = ['non_compliant', 'partially_compliant', 'not_assessed', 'compliant', 'not_applicable'];
    const rank = (s: Status) => order.indexOf(CISO_ASSISTANT_STATUS[s].result);
    STATUSES.forEach((a: Status, i) => {
      for (const b of STATUSES.slice(i)) {
        const worst = worstStatus([b, a]);
        expect(rank(worst)).toBe(Math.min(rank(a), rank(b)));
        if (rank(a) === rank(b)) expect(worst).toBe(a);
      }
    });
  });
});
