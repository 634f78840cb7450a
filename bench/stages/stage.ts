import { writeFileSync } from 'node:fs';

/** What a stage process reports besides what is measured from outside: the time of its own work and what it made. */
export interface StageReport {
  /** Seconds of the stage's work alone, without starting Node, loading modules or opening the pack. */
  seconds: number;
  /** The process's own peak resident memory, as the kernel counted it. */
  maxRssMB: number;
  [detail: string]: unknown;
}

/** Times `work`. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Runs a stage process: `main` gets the arguments after the report file (the first argument),
 * returns its timing and details, and they are written to the report file as JSON.
 */
export function runStage(main: (args: string[]) => Promise<Omit<StageReport, 'maxRssMB'>>): void {
  const [reportFile, ...args] = process.argv.slice(2);
  main(args)
    .then((report) => writeFileSync(reportFile, JSON.stringify({ ...report, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
