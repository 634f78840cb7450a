import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { baselineNames, baselineControls, builtinCatalog } from '../src/mapping/catalog';
import { BUILTIN, importCatalog, resolveCatalog } from '../src/mapping/catalog-store';
import { loadOscalCatalog, parseOscalCatalog } from '../src/mapping/oscal';
import { useTempDir } from './helpers/tmp';

const OSCAL = path.join(__dirname, '..', '..', 'shared', 'reference', 'ism-oscal');
const OFFICIAL = path.join(OSCAL, 'ISM_catalog.json');
const haveOfficial = existsSync(OFFICIAL);
const tmp = useTempDir();

/** A two-control catalog of our own making, shaped like an ISM OSCAL release. */
function tinyCatalog(version = '2099.01.1'): string {
  const ns = 'https://cyber.gov.au/ns/ism/oscal/3.0';
  const control = (id: string, text: string) => ({
    id,
    class: 'ISM-control',
    title: `Control: ${id}`,
    props: [
      { name: 'revision', ns, value: '2' },
      { name: 'updated', ns, value: 'Jun-26' },
      { name: 'applicability', ns, value: 'P' },
    ],
    parts: [{ id: `${id}_smt`, name: 'statement', prose: text }],
  });
  return JSON.stringify({
    catalog: {
      uuid: 'x',
      metadata: { title: 'Test manual', version },
      groups: [{ title: 'Guidelines for testing', groups: [{ title: 'A section', groups: [{ title: 'A topic', controls: [control('ism-9001', 'Tests are written.'), control('ism-9002', 'Tests can fail.')] }] }] }],
    },
  });
}

describe('official OSCAL catalog', () => {
  (haveOfficial ? it : it.skip)('loads the December 2025 release with statements, matching the built-in index', () => {
    const official = loadOscalCatalog(OFFICIAL);
    const builtin = builtinCatalog();
    expect(official.version).toBe('2025.12.9');
    expect(official.statementsLoaded).toBe(true);
    expect(official.controls.filter((c) => c.kind === 'control')).toHaveLength(1073);
    expect(official.controls.filter((c) => c.kind === 'principle')).toHaveLength(34);
    expect(official.controls.map(({ statement: _s, ...facts }) => facts)).toEqual(builtin.controls.map(({ statement: _s, ...facts }) => facts));
    const protectedBaseline = baselineControls(official, 'PROTECTED');
    expect(protectedBaseline.filter((c) => c.kind === 'control')).toHaveLength(958);
    expect(protectedBaseline.filter((c) => c.kind === 'principle')).toHaveLength(34);
    for (const baseline of baselineNames()) {
      const profile = JSON.parse(readFileSync(path.join(OSCAL, `ISM_${baseline}-baseline_profile.json`), 'utf8')).profile;
      const ids = profile.imports.flatMap((i: { 'include-controls': { 'with-ids': string[] }[] }) => i['include-controls'].flatMap((c) => c['with-ids']));
      expect(baselineControls(official, baseline).map((c) => c.id).sort()).toEqual(ids.sort());
    }
  });

  it('reads any release with the same shape, statements included', () => {
    const catalog = parseOscalCatalog(tinyCatalog(), 'tiny.json');
    expect(catalog).toMatchObject({ version: '2099.01.1', statementsLoaded: true });
    expect(catalog.controls[1]).toMatchObject({ id: 'ism-9002', guideline: 'Guidelines for testing', section: 'A section', topic: 'A topic', revision: 2, updated: 'Jun-26', statement: 'Tests can fail.' });
  });

  it('says what is wrong with a file that is not a catalog', () => {
    expect(() => parseOscalCatalog('{"catalog": ', 'broken.json')).toThrow(/^broken\.json: not valid JSON/);
    expect(() => parseOscalCatalog('{"profile": {}}', 'profile.json')).toThrow(/^profile\.json: not an OSCAL catalog: catalog: /);
    expect(() => loadOscalCatalog(path.join(tmp(), 'missing.json'))).toThrow(/missing\.json: cannot read the catalog \(ENOENT\)/);
  });
});

describe('catalog import and the default catalog', () => {
  const withCache = async (name: string, run: () => Promise<void>) => {
    const previous = process.env.AUDITPACK_CACHE_DIR;
    process.env.AUDITPACK_CACHE_DIR = path.join(tmp(), name);
    try {
      await run();
    } finally {
      if (previous === undefined) delete process.env.AUDITPACK_CACHE_DIR;
      else process.env.AUDITPACK_CACHE_DIR = previous;
    }
  };

  it('uses the built-in index until a release is imported, then the release', () =>
    withCache('file-import', async () => {
      expect(resolveCatalog().source).toBe('built-in facts index');
      const file = path.join(tmp(), 'release.json');
      writeFileSync(file, tinyCatalog());
      await importCatalog(file);
      expect(resolveCatalog()).toMatchObject({ version: '2099.01.1', statementsLoaded: true });
      expect(resolveCatalog(BUILTIN).source).toBe('built-in facts index');
    }));

  it('imports from a URL and refuses a download that is not a catalog', () =>
    withCache('url-import', async () => {
      const server = http.createServer((req, res) => {
        if (req.url === '/ISM_catalog.json') res.end(tinyCatalog('2099.02.1'));
        else if (req.url === '/not-a-catalog.json') res.end('{"hello": 1}');
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        expect((await importCatalog(`${base}/ISM_catalog.json`)).catalog.version).toBe('2099.02.1');
        await expect(importCatalog(`${base}/not-a-catalog.json`)).rejects.toThrow(/not-a-catalog\.json: not an OSCAL catalog/);
        await expect(importCatalog(`${base}/gone.json`)).rejects.toThrow(/gone\.json: download failed with HTTP 404/);
        // A failed import leaves the earlier default in place.
        expect(resolveCatalog().version).toBe('2099.02.1');
      } finally {
        server.close();
      }
    }));

  it('is what `auditpack catalog import` does from the command line', () =>
    withCache('cli-import', async () => {
      const file = path.join(tmp(), 'cli-release.json');
      writeFileSync(file, tinyCatalog('2099.03.1'));
      const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'auditpack.js'), 'catalog', 'import', file], { encoding: 'utf8', env: process.env });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Imported ISM catalog 2099.03.1: 2 controls and 0 principles');
      expect(resolveCatalog().version).toBe('2099.03.1');
    }));
});
