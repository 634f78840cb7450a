import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AuditpackError } from '../errors';

/**
 * A directory built in a hidden sibling and renamed into place only when complete, so an
 * interrupted or failed run never leaves a half-written pack or report where a reader would
 * take it for a whole one. Staged directories still open at Ctrl-C are removed.
 */
const open = new Set<StagedDirectory>();
let signalsHooked = false;

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all([...open].map((d) => d.abort())).finally(() => {
        process.stderr.write(`auditpack: interrupted; nothing was written\n`);
        process.exit(130);
      });
    });
  }
}

export interface StageOptions {
  /**
   * Decides whether an existing directory at the target may be replaced. It receives the
   * target path and returns an error message when the directory must be kept.
   */
  canReplace?: (target: string) => Promise<string | null>;
  /** Runs on the finished staged directory just before it moves into place (signing its manifest). */
  seal?: (staged: string) => Promise<void>;
}

export class StagedDirectory {
  private constructor(
    readonly target: string,
    readonly path: string,
    private readonly options: StageOptions,
  ) {}

  static async create(target: string, options: StageOptions = {}): Promise<StagedDirectory> {
    const resolved = path.resolve(target);
    await checkReplaceable(resolved, options);
    const parent = path.dirname(resolved);
    try {
      await mkdir(parent, { recursive: true });
    } catch (e) {
      throw new AuditpackError(`${parent}: cannot create output directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const staging = path.join(parent, `.${path.basename(resolved)}.partial-${randomBytes(4).toString('hex')}`);
    await mkdir(staging);
    const dir = new StagedDirectory(resolved, staging, options);
    open.add(dir);
    hookSignals();
    return dir;
  }

  /** Moves the finished directory into place, replacing an old one only as allowed. */
  async commit(): Promise<void> {
    await this.options.seal?.(this.path);
    if (existsSync(this.target)) {
      await checkReplaceable(this.target, this.options);
      const old = `${this.path}.old`;
      await rename(this.target, old);
      await rename(this.path, this.target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(this.path, this.target);
    }
    open.delete(this);
  }

  async abort(): Promise<void> {
    open.delete(this);
    await rm(this.path, { recursive: true, force: true });
  }
}

async function checkReplaceable(target: string, options: StageOptions): Promise<void> {
  if (!existsSync(target)) return;
  const refusal = options.canReplace ? await options.canReplace(target) : `${target}: already exists; choose a new directory`;
  if (refusal) throw new AuditpackError(refusal);
}

/** Runs `build` in a staged directory and commits it, or removes it if `build` throws. */
export async function writeStaged<T>(target: string, options: StageOptions, build: (dir: string) => Promise<T>): Promise<T> {
  const staged = await StagedDirectory.create(target, options);
  try {
    const result = await build(staged.path);
    await staged.commit();
    return result;
  } catch (e) {
    await staged.abort();
    throw e;
  }
}
