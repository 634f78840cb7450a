import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What one stage cost: wall time and memory, sampled from /proc while it ran. */
export interface Measurement {
  seconds: number;
  /** Peak of the summed proportional memory (PSS) of the stage's process and every descendant (Chromium included). */
  peakTreeMB: number;
  /** Peak resident memory (VmHWM) of the stage's own Node process. */
  peakNodeMB: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

const SAMPLE_MS = 50;
const PAGE_KB = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })) / 1024;

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // The process ended while we looked.
    return null;
  }
};

/** Parent of every process, from /proc/<pid>/stat (the fields after the command name, which may hold spaces). */
function parents(): Map<number, number> {
  const ppid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat) ppid.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  return ppid;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents()) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const tree: number[] = [];
  for (const stack = [root]; stack.length; ) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * A process's memory in kB: proportional set size, which splits pages shared between processes
 * (Chromium's renderer, GPU and zygote processes share most of their code) so a tree's sum does
 * not count them twice; resident size where smaps_rollup cannot be read.
 */
function processKB(pid: number): number {
  const rollup = read(`/proc/${pid}/smaps_rollup`);
  const pss = rollup && /^Pss:\s+(\d+) kB/m.exec(rollup);
  if (pss) return Number(pss[1]);
  const statm = read(`/proc/${pid}/statm`);
  return statm ? Number(statm.split(' ')[1]) * PAGE_KB : 0;
}

/** The kernel's own high-water mark of the process's resident memory, so a peak between samples is not missed. */
function highWaterKB(pid: number): number {
  const status = read(`/proc/${pid}/status`);
  return Number((status && /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) ?? 0);
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Runs `node script args` as its own process and samples /proc every 50 ms until it exits, so
 * the memory of a browser the stage starts counts too. Linux only, like the rest of the benchmark.
 */
export function measure(script: string, args: string[], options: RunOptions = {}): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakTree = 0;
  let peakNode = 0;
  const sample = () => {
    peakTree = Math.max(peakTree, descendants(child.pid!).reduce((sum, pid) => sum + processKB(pid), 0));
    peakNode = Math.max(peakNode, highWaterKB(child.pid!));
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (code === null) return reject(new Error(`${script} ${args.slice(0, 3).join(' ')} ... ended by ${signal}\n${stderr}`));
      const mb = (kb: number) => Math.round(kb / 1024);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakTreeMB: mb(peakTree), peakNodeMB: mb(peakNode), exitCode: code, stdout, stderr });
    });
  });
}
