/**
 * Exit codes are part of the CLI contract (README, "Exit codes"); every command uses these.
 */
export const ExitCode = {
  Success: 0,
  Error: 1,
  Usage: 2,
  CompletedWithGaps: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An expected failure the user can act on. Its message is printed as one line (no stack trace
 * unless --debug), so it must name the file and what is wrong.
 */
export class AuditpackError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Error,
  ) {
    super(message);
    this.name = 'AuditpackError';
  }
}
