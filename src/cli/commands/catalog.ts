import type { CommandModule } from 'yargs';
import { importCatalog } from '../../mapping/catalog-store';

const importRelease: CommandModule<object, { source: string }> = {
  command: 'import <source>',
  describe: 'Validate an official ISM OSCAL catalog (file or URL), cache it and make it the default',
  builder: (y) =>
    y
      .positional('source', { type: 'string', demandOption: true, describe: 'Path or http(s) URL of ISM_catalog.json' })
      .example('$0 catalog import ~/Downloads/ISM_catalog.json', 'Use a downloaded release from now on'),
  handler: async ({ source }) => {
    const { catalog, file } = await importCatalog(source);
    const principles = catalog.controls.filter((c) => c.kind === 'principle').length;
    process.stdout.write(
      `Imported ISM catalog ${catalog.version}: ${catalog.controls.length - principles} controls and ${principles} principles, with statement text.\n` +
        `Stored at ${file}; it is now the default catalog (override with --catalog).\n`,
    );
  },
};

export const catalogCommand: CommandModule = {
  command: 'catalog <command>',
  describe: 'Manage the ISM catalog release auditpack assesses against',
  builder: (y) => y.command(importRelease).demandCommand(1),
  handler: () => undefined,
};
