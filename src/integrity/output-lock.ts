import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../errors';

/**
 * One run at a time may write an output folder: two renders to the same --out would otherwise
 * race to rename their staged folders into place. The lock is a hidden file next to the target
 * holding the writer's process id; a lock whose process no longer runs (a crash, an out-of-memory
 * kill) is stale and taken over.
 */
export class OutputLock {
  private constructor(readonly file: string) {}

  static async acquire(target: string): Promise<OutputLock> {
    const file = path.join(path.dirname(target), `.${path.basename(target)}.lock`);
    // Written aside and linked into place, so a lock file is never seen without its process id.
    const mine = `${file}.${process.pid}`;
    await writeFile(mine, `${process.pid}\n`).catch((e: NodeJS.ErrnoException) => {
      throw new AuditpackError(`${mine}: cannot create the lock for ${target} (${e.code ?? String(e)})`);
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await link(mine, file);
          return new OutputLock(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditpackError(`${file}: cannot create the lock for ${target} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        }
        const holder = await lockHolder(file);
        if (holder !== null && isRunning(holder)) {
          throw new AuditpackError(`${target}: another auditpack run (process ${holder}) is writing it; wait for it to finish, or delete ${file} if no such run is going`);
        }
        // Stale: remove it unless another run has just taken it over.
        if ((await lockHolder(file)) === holder) await unlink(file).catch(() => undefined);
      }
      throw new AuditpackError(`${target}: another auditpack run took the lock ${file} at the same moment; try again`);
    } finally {
      await unlink(mine).catch(() => undefined);
    }
  }

  private released = false;

  /** Once only: a second release could remove a lock another run has taken since. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await unlink(this.file).catch(() => undefined);
  }
}

/** The process id in a lock file, or null when the file does not hold one (then it is stale). */
async function lockHolder(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return /^\d+\n?$/.test(text) ? Number(text) : null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
