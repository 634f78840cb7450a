import { PACK_FORMAT } from '../evidence/manifest';
import { verifyPack } from '../evidence/reader';
import { checkSignature, describeCheck, type TrustedKey } from './signature';
import { readFileList, verifyFolder } from './verify';

export interface FolderCheck {
  format: string;
  files: number;
  /** One line per problem: a file that does not match the manifest, or the signature. Empty when the folder holds. */
  problems: string[];
  /** The one-line verdict: what is wrong, or what holds. */
  summary: string;
}

/** Everything `verify` checks in a folder: every hash in the manifest, then the manifest's signature. */
export async function checkFolder(dir: string, trusted?: TrustedKey): Promise<FolderCheck> {
  const { format, files } = await readFileList(dir);
  // A pack's records also cite attachments, which must be in it.
  const discrepancies = format === PACK_FORMAT ? await verifyPack(dir) : await verifyFolder(dir);
  const signature = await checkSignature(dir, trusted);
  const problems = discrepancies.map((p) => `${p.problem}: ${p.path}: ${p.detail}`);
  const wrong = discrepancies.length ? [`${discrepancies.length} file(s) do not match the manifest`] : [];
  if (signature.state === 'invalid') {
    problems.push(`signature: ${signature.problem}`);
    wrong.push(signature.problem);
  } else if (!wrong.length) {
    return { format, files: files.length, problems, summary: `${files.length} files match the manifest (${format}); ${describeCheck(signature)}` };
  }
  return { format, files: files.length, problems, summary: wrong.join('; ') };
}
