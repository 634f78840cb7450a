/**
 * What a person at a terminal sees while `report` or `demo` works: one line on stderr as each
 * stage starts, with the time since the command began, so a render of 15-40 s never looks stuck.
 * Nothing when stderr is not a terminal (CI logs, scripts, tests) or with --quiet: stdout's summary
 * lines, which scripts parse, are never touched.
 */
export interface Stages {
  /** A stage begins: "assessing", "rendering PDF". */
  stage(name: string): void;
  /** Every stage is over. */
  done(): void;
}

export interface StageStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface StageOptions {
  quiet: boolean;
  stream?: StageStream;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
}

const SILENT: Stages = { stage: () => {}, done: () => {} };

/** "  12.3s", right-aligned, so the stage names line up. */
const elapsed = (ms: number): string => `${(ms / 1000).toFixed(1)}s`.padStart(7);

export function stageProgress({ quiet, stream = process.stderr, now = () => performance.now() }: StageOptions): Stages {
  if (quiet || !stream.isTTY) return SILENT;
  const started = now();
  const line = (text: string) => stream.write(`${elapsed(now() - started)}  ${text}\n`);
  return { stage: (name) => line(`${name}…`), done: () => line('done') };
}
