import type { CommandModule } from 'yargs';
import type { NotAttested } from '../../attest/answers';
import { importAttestations, type WorkbookImport } from '../../attest/import';
import { AuditpackError } from '../../errors';
import { plural } from '../../util/plural';

interface ImportArgs {
  inputs: string[];
  out: string;
  attachments?: string;
}

/** What to do instead of an attestation, for an answer that says the control is not implemented. */
const INSTEAD: Record<NotAttested, string> = {
  'Not implemented': 'record a risk acceptance (kind: risk-acceptance, docs/collect.md), which the POA&M lists as Not implemented, or add the plan to implement it to the POA&M',
  Ineffective: 'record a risk acceptance (kind: risk-acceptance, docs/collect.md) or add the plan to fix it to the POA&M',
  'No visibility': 'ask who can see its implementation to attest it, or record a risk acceptance (kind: risk-acceptance, docs/collect.md)',
  'Not applicable': 'declare it in not-applicable.yaml of your mappings folder, with the rationale and who approved it (docs/mappings.md)',
  'Not assessed': 'the owner has not assessed it: ask again',
};

const counts = (written: number, blank: number, notWritten: number) =>
  `${plural(written, 'attestation')} written, ${plural(blank, 'blank row')} skipped, ${plural(notWritten, 'answer')} not written`;

/** The summary printed on success: per workbook, its attachments' hashes and the answers left out, then the total. */
function importSummary(workbooks: readonly WorkbookImport[], out: string): string {
  const lines: string[] = [];
  for (const book of workbooks) {
    lines.push(`${book.file}: ${counts(book.written.length, book.blank, book.notWritten.length)}`);
    for (const w of book.written) for (const a of w.attachments) lines.push(`  ${w.file}: ${a.path} sha256 ${a.sha256}`);
    for (const n of book.notWritten) lines.push(`  ${n.identifier} (${n.at}): answered ${n.implementation}: no attestation written; ${INSTEAD[n.implementation]}`);
  }
  const sum = (f: (b: WorkbookImport) => number) => workbooks.reduce((n, b) => n + f(b), 0);
  lines.push(`Total: ${counts(sum((b) => b.written.length), sum((b) => b.blank), sum((b) => b.notWritten.length))}, from ${plural(workbooks.length, 'workbook')}, in ${out}`);
  return `${lines.join('\n')}\n`;
}

const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <inputs..>',
  describe: 'Answers of filled request workbooks as attestation files for collect --attestations',
  builder: (y) =>
    y
      .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'Filled workbooks, or folders of them (their *.xlsx files)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder of attestation files to write (must not exist)' })
      .option('attachments', { type: 'string', describe: "Folder the Attachments cells' file names are in; default: each workbook's folder" })
      .example('$0 attest import answers/ --out attestations/2026-Q4', 'Every filled workbook in answers/, attachments beside them')
      .example('$0 attest import sam-lee.xlsx --out attestations/sam --attachments evidence/', 'One workbook, its attachments in evidence/'),
  handler: async (argv) => {
    const outcome = await importAttestations({ inputs: argv.inputs, outDir: argv.out, attachmentsDir: argv.attachments ?? null, today: new Date().toISOString().slice(0, 10) });
    if (!outcome.ok) {
      for (const p of outcome.problems) process.stderr.write(`${p}\n`);
      throw new AuditpackError(`${plural(outcome.problems.length, 'problem')} in the workbooks; nothing written to ${argv.out}`);
    }
    process.stdout.write(importSummary(outcome.workbooks, argv.out));
  },
};

export const attestCommand: CommandModule = {
  command: 'attest <command>',
  describe: 'Bring control owners\' answers to evidence requests back in as attestations',
  builder: (y) => y.command(importCommand).demandCommand(1),
  handler: () => undefined,
};
