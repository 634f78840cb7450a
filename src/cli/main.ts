import yargs from 'yargs';
import { AuditpackError, ExitCode } from '../errors';
import { isInterrupted } from '../util/interrupt';
import { TOOL } from '../version';
import { attestCommand } from './commands/attest';
import { catalogCommand } from './commands/catalog';
import { collectCommand } from './commands/collect';
import { demoCommand } from './commands/demo';
import { diffCommand } from './commands/diff';
import { requestsCommand } from './commands/requests';
import { initCommand } from './commands/init';
import { keygenCommand } from './commands/keygen';
import { mappingsCommand } from './commands/mappings';
import { publishCommand } from './commands/publish';
import { reportCommand } from './commands/report';
import { verifyCommand } from './commands/verify';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function fail(error: unknown, debug: boolean): void {
  // After Ctrl-C, work whose files were just removed fails; the interrupt handler reports and exits.
  if (isInterrupted()) return;
  if (error instanceof AuditpackError) {
    process.stderr.write(`auditpack: ${error.message}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exit(error.exitCode);
  }
  // An unexpected error is a bug: still one line by default, the stack with --debug.
  process.stderr.write(`auditpack: internal error: ${error instanceof Error ? error.message : String(error)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(ExitCode.Error);
}

export async function main(args: string[]): Promise<void> {
  const debug = args.includes('--debug');
  const cli = yargs(args)
    .scriptName('auditpack')
    .usage('$0 <command> [options]\n\nTurns the state of an AWS estate into an audit-ready compliance evidence pack.')
    .command(initCommand)
    .command(demoCommand)
    .command(collectCommand)
    .command(reportCommand)
    .command(verifyCommand)
    .command(diffCommand)
    .command(requestsCommand)
    .command(attestCommand)
    .command(keygenCommand)
    .command(publishCommand)
    .command(mappingsCommand)
    .command(catalogCommand)
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces on error' })
    .option('config', { type: 'string', describe: 'System file to read instead of auditpack.yaml in the working directory (docs/system-file.md)' })
    .demandCommand(1, 'Choose a command: init, demo, collect, report, verify, diff, requests, attest, keygen, publish, mappings or catalog')
    .strict()
    .version(TOOL.version)
    .help()
    .alias('h', 'help')
    .epilogue('Exit codes: 0 success, 1 error, 2 usage error, 3 completed with gaps. Docs: README.md')
    .fail((message, error) => {
      if (error) return fail(error, debug);
      process.stderr.write(`auditpack: ${message}\nRun \`auditpack --help\` for usage.\n`);
      process.exit(ExitCode.Usage);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    fail(error, debug);
  }
}
