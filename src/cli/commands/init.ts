import type { CommandModule } from 'yargs';
import { SystemFile, SYSTEM_FILE_NAME } from '../../config/system-file';
import { writeStarterSystemFile } from '../../config/starter';

export const initCommand: CommandModule<object, { out: string; force: boolean }> = {
  command: 'init',
  describe: `Write a commented starter system file (${SYSTEM_FILE_NAME}: system, agency, baseline, owners; docs/system-file.md)`,
  builder: (y) =>
    y
      .option('out', { type: 'string', default: SYSTEM_FILE_NAME, describe: 'File to write' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace an existing file' })
      .example('$0 init', `Write ${SYSTEM_FILE_NAME} here; report and demo then read it`)
      .example('$0 init --out systems/case-management.yaml', 'Then: auditpack report PACK --out DIR --config systems/case-management.yaml'),
  handler: ({ out, force }) => {
    writeStarterSystemFile(out, force);
    // What is written must load: a starter that fails its own validation would be the first error a user sees.
    SystemFile.load(out);
    process.stdout.write(`Wrote ${out}: uncomment and edit the system, agency and owners (docs/system-file.md)\n`);
  },
};
