import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { AuditpackError } from '../errors';
import { onInterrupt } from '../util/interrupt';
import { OutputLock } from './output-lock';

/**
 * A directory built in a hidden sibling and renamed into place only when complete, so an
 * interrupted or failed run never leaves a half-written pack or report where a reader would
 * take it for a whole one. The target is locked while it is built (one writer at a time), and
 * staged directories still open at Ctrl-C are removed.
 */
export interface StageOptions {
  /**
   * Decides whether an existing directory at the target may be replaced. It receives the
   * target path and returns an error message when the directory must be kept.
   */
  canReplace?: (target: string) => Promise<string | null>;
  /** Runs on the finished staged directory just before it moves into place (signing its manifest). */
  seal?: (staged: string) => Promise<void>;
}

/** Removes a directory tree, retrying while files still being written appear in it. */
const removeTree = (dir: string) => rm(dir, { recursive: true, force: true, maxRetries: 5 });

export class StagedDirectory {
  private readonly streams = new Set<Writable>();
  private readonly forget: () => void;

  private constructor(
    readonly target: string,
    readonly path: string,
    private readonly options: StageOptions,
    private readonly lock: OutputLock,
  ) {
    this.forget = onInterrupt(() => this.abort());
  }

  static async create(target: string, options: StageOptions = {}): Promise<StagedDirectory> {
    const resolved = path.resolve(target);
    const parent = path.dirname(resolved);
    try {
      await mkdir(parent, { recursive: true });
    } catch (e) {
      throw new AuditpackError(`${parent}: cannot create output directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lock = await OutputLock.acquire(resolved);
    const staging = path.join(parent, `${stagingPrefix(resolved)}${randomBytes(4).toString('hex')}`);
    // Made (and so its interrupt cleanup registered) before the staging directory is: a signal
    // that arrives just after the directory appears (a busy machine widens that gap) removes it.
    const staged = new StagedDirectory(resolved, staging, options, lock);
    try {
      await checkReplaceable(resolved, options);
      await removeLeftovers(resolved);
      await mkdir(staging);
      return staged;
    } catch (e) {
      await staged.abort();
      throw e;
    }
  }

  /**
   * Watches a stream writing into the directory: an abort closes it before the files go, and a
   * write failing because they went is not an unhandled error.
   */
  track<S extends Writable>(stream: S): S {
    this.streams.add(stream);
    stream.on('error', () => undefined);
    stream.once('close', () => this.streams.delete(stream));
    return stream;
  }

  /** Moves the finished directory into place, replacing an old one only as allowed. */
  async commit(): Promise<void> {
    try {
      await this.options.seal?.(this.path);
      if (existsSync(this.target)) {
        await checkReplaceable(this.target, this.options);
        const old = `${this.path}.old`;
        await rename(this.target, old);
        await rename(this.path, this.target);
        await removeTree(old);
      } else {
        await rename(this.path, this.target);
      }
    } finally {
      this.forget();
      await this.lock.release();
    }
  }

  async abort(): Promise<void> {
    this.forget();
    await Promise.all([...this.streams].map(closed));
    await removeTree(this.path);
    await this.lock.release();
  }
}

function closed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) return resolve();
    stream.once('close', () => resolve());
    stream.destroy();
  });
}

const stagingPrefix = (target: string) => `.${path.basename(target)}.partial-`;

/**
 * Staged directories of the same target that a crashed run left behind (an out-of-memory kill
 * cannot clean up). Under the lock no other run is writing them, so they are removed, each named
 * on stderr: they may hold collected evidence, and the user should know it existed.
 */
async function removeLeftovers(target: string): Promise<void> {
  const parent = path.dirname(target);
  const prefix = stagingPrefix(target);
  const leftovers = (await readdir(parent)).filter((name) => name.startsWith(prefix) && /^[0-9a-f]{8}(\.old)?$/.test(name.slice(prefix.length)));
  for (const name of leftovers.sort()) {
    process.stderr.write(`auditpack: removing ${path.join(parent, name)}, left behind by an earlier run that did not finish\n`);
    await removeTree(path.join(parent, name));
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
