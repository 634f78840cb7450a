import { lstatSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** The repository, seen from dist-bench/bench/ where the compiled benchmark runs. */
export const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'dist-bench');

/** A compiled stage script, by its name in bench/stages/. */
export const stageScript = (name: string) => path.join(OUT, 'bench', 'stages', `${name}.js`);

/** The CLI as users run it (compiled into dist/ by `npm run build`). */
export const CLI = path.join(ROOT, 'bin', 'auditpack.js');

/**
 * src/ reads package.json, templates/ and mappings/ from the folder above its own, which for
 * dist-bench/src is dist-bench/: they are linked there before any stage that loads src/ runs.
 */
export function linkRepositoryFiles(): void {
  for (const name of ['package.json', 'templates', 'mappings']) {
    const link = path.join(OUT, name);
    try {
      lstatSync(link);
    } catch {
      symlinkSync(path.join('..', name), link);
    }
  }
}
