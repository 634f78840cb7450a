import type { AssessmentResult } from '../assess/result';
import type { FileEntry } from '../integrity/files';
import type { PackSignatureRef, Signer } from '../integrity/signature';

/** What a person wants to read after a report is written: where it went and the headline. */
export function describeReport(outDir: string, result: AssessmentResult, files: FileEntry[]): string {
  const statuses = Object.entries(result.totals.byStatus)
    .filter(([, n]) => n)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    `Report written to ${outDir}${result.pack.sample ? ' (SAMPLE DATA)' : ''}`,
    ...files.map((f) => `  ${f.path}  ${f.bytes} bytes`),
    `${result.baseline}: ${result.totals.controls} controls; ${statuses}`,
  ].join('\n');
}

/** Which signed pack a report came from, and whether the report itself was signed. */
export function describePackSignature(pack: PackSignatureRef | null, signer: Signer | undefined): string | null {
  if (!pack && !signer) return null;
  const from = pack
    ? `Pack signed by ${pack.keyId} (signature ${pack.signatureFingerprint}; ${pack.verified ? 'verified' : 'not checked: give --pubkey or --kms'})`
    : 'Pack not signed';
  return `${from}; report ${signer ? `signed with ${signer.keyId}` : 'not signed'}`;
}
