import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditpackError } from '../errors';
import { builtinCatalog, type Catalog } from './catalog';
import { loadOscalCatalog, parseOscalCatalog } from './oscal';

/** `--catalog builtin` asks for the facts index even when a release was imported. */
export const BUILTIN = 'builtin';

/** Where imported catalog releases live: the user's cache directory, per platform conventions. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUDITPACK_CACHE_DIR) return env.AUDITPACK_CACHE_DIR;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'auditpack', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'auditpack');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'auditpack');
}

const catalogsDir = () => path.join(cacheDir(), 'catalogs');
const defaultPointer = () => path.join(catalogsDir(), 'default.json');

/** The catalog a command uses: `--catalog FILE`, else the imported default, else the built-in index. */
export function resolveCatalog(explicit?: string): Catalog {
  if (explicit === BUILTIN) return builtinCatalog();
  if (explicit) return loadOscalCatalog(explicit);
  const pointer = defaultPointer();
  if (!existsSync(pointer)) return builtinCatalog();
  let file: string;
  try {
    file = path.join(catalogsDir(), JSON.parse(readFileSync(pointer, 'utf8')).file);
  } catch (e) {
    throw new AuditpackError(`${pointer}: unreadable default catalog pointer (${(e as Error).message}); run \`auditpack catalog import\` again`);
  }
  return loadOscalCatalog(file);
}

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    throw new AuditpackError(`${url}: cannot download (${(e as Error).cause ?? (e as Error).message})`);
  }
  if (!response.ok) throw new AuditpackError(`${url}: download failed with HTTP ${response.status}`);
  return response.text();
}

/**
 * Validates an official catalog release (a file or an http(s) URL), stores it in the cache and
 * makes it the default for every later command.
 */
export async function importCatalog(from: string): Promise<{ catalog: Catalog; file: string }> {
  const remote = /^https?:\/\//i.test(from);
  let text: string;
  if (remote) text = await fetchText(from);
  else {
    try {
      text = readFileSync(from, 'utf8');
    } catch (e) {
      throw new AuditpackError(`${from}: cannot read the catalog (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  const parsed = parseOscalCatalog(text, from);
  const name = `ISM_catalog-${parsed.version.replace(/[^\w.-]/g, '_')}.json`;
  const file = path.join(catalogsDir(), name);
  await mkdir(catalogsDir(), { recursive: true });
  // Written beside and renamed, so a concurrent command never reads half a catalog.
  await writeFile(`${file}.partial`, text);
  await rename(`${file}.partial`, file);
  await writeFile(`${defaultPointer()}.partial`, `${JSON.stringify({ file: name, version: parsed.version, importedFrom: from }, null, 2)}\n`);
  await rename(`${defaultPointer()}.partial`, defaultPointer());
  return { catalog: { ...parsed, source: file }, file };
}
