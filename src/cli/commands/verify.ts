import type { CommandModule } from 'yargs';
import { AuditpackError, ExitCode } from '../../errors';
import { verifyPack } from '../../evidence/reader';
import { PACK_FORMAT } from '../../evidence/manifest';
import { readFileList, verifyFolder } from '../../integrity/verify';

export const verifyCommand: CommandModule<object, { dir: string }> = {
  command: 'verify <dir>',
  describe: 'Recompute every hash in an evidence pack or report folder manifest',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Evidence pack or report folder' })
      .example('$0 verify out/demo/evidence', 'Check that no evidence file changed since collection')
      .example('$0 verify out/demo/report', 'Check a rendered report folder'),
  handler: async ({ dir }) => {
    const { format, files } = await readFileList(dir);
    // A pack's records also cite attachments, which must be in it.
    const problems = format === PACK_FORMAT ? await verifyPack(dir) : await verifyFolder(dir);
    if (problems.length) {
      for (const p of problems) process.stderr.write(`${p.problem}: ${p.path}: ${p.detail}\n`);
      throw new AuditpackError(`${dir}: ${problems.length} file(s) do not match the manifest`, ExitCode.Error);
    }
    process.stdout.write(`OK ${dir}: ${files.length} files match the manifest (${format})\n`);
  },
};
