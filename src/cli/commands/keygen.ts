import type { CommandModule } from 'yargs';
import { writeKeyPair } from '../../integrity/keygen';

export const keygenCommand: CommandModule<object, { out: string }> = {
  command: 'keygen',
  describe: 'Write a new Ed25519 key pair for signing packs and reports (docs/signing.md)',
  builder: (y) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'Folder for the key pair (created; existing keys are never overwritten)' })
      .example('$0 keygen --out ~/.auditpack/keys', 'Then: auditpack collect ... --sign ~/.auditpack/keys/auditpack-signing-key.pem'),
  handler: async ({ out }) => {
    const keys = await writeKeyPair(out);
    process.stdout.write(
      [
        `Private key: ${keys.privateKey} (mode 0600: keep it secret; it signs with --sign)`,
        `Public key:  ${keys.publicKey} (give it to whoever verifies: auditpack verify DIR --pubkey FILE)`,
        `Fingerprint: ${keys.fingerprint}`,
      ].join('\n') + '\n',
    );
  },
};
