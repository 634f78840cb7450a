import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/**
 * What makes two runs' figures comparable: the same kind of machine and the same Node. The
 * kernel build is left out: the same virtual machine type comes back with another build from
 * one session to the next, and each run keeps its own (`BenchRun.machine`).
 */
export function sameKind(a: Machine, b: Machine): boolean {
  return a.cpu === b.cpu && a.cores === b.cores && a.memoryGB === b.memoryGB && a.node === b.node;
}
