import type { AssessmentResult } from '../../assess/result';
import { oneLine, partyName, partyUuid, prop } from './common';
import { OSCAL_VERSION, type Metadata, type Party, type ResponsibleParty, type Role } from './model';

/** What a document's metadata says beyond the result: the render options. */
export interface ExportOptions {
  /** The protective marking (`--marking`), as OSCAL's own `marking` prop. */
  marking: string;
  /** The system's name (`--system`), or null. */
  system: string | null;
}

/** What the documents are about: the system when named, else the organisation, else the estate. */
export function subject(result: AssessmentResult, options: ExportOptions): string {
  return options.system ?? result.pack.organisation ?? 'the AWS estate';
}

/**
 * The parties the result names: the organisation the evidence belongs to, and each attester.
 * Roles are listed only when a party holds them (OSCAL arrays may not be empty).
 */
function partiesAndRoles(result: AssessmentResult): Pick<Metadata, 'roles' | 'parties' | 'responsible-parties'> {
  const roles: Role[] = [];
  const parties: Party[] = [];
  const responsible: ResponsibleParty[] = [];
  const organisation = result.pack.organisation && partyName(result.pack.organisation);
  if (organisation) {
    roles.push({ id: 'prepared-for', title: 'The organisation the evidence belongs to' });
    parties.push({ uuid: partyUuid(result, organisation), type: 'organization', name: organisation });
    responsible.push({ 'role-id': 'prepared-for', 'party-uuids': [partyUuid(result, organisation)] });
  }
  const attesters = [...new Set(result.controls.flatMap((c) => c.evidence.attestations.map((a) => partyName(a.attester))))];
  if (attesters.length) {
    roles.push({ id: 'attester', title: 'A person who signed an attestation in the evidence pack' });
    // An attester who is also the organisation keeps the organisation's party.
    for (const name of attesters) if (name !== organisation) parties.push({ uuid: partyUuid(result, name), type: 'person', name });
    responsible.push({ 'role-id': 'attester', 'party-uuids': attesters.map((name) => partyUuid(result, name)) });
  }
  return roles.length ? { roles, parties, 'responsible-parties': responsible } : {};
}

const SAMPLE_DATA = 'SAMPLE DATA';

/** The metadata of either document: same time, version, marking and parties; its own title. */
export function exportMetadata(result: AssessmentResult, options: ExportOptions, title: string): Metadata {
  const full = `${title}: ISM ${result.baseline} baseline, ${subject(result, options)}, ${result.pack.period}`;
  return {
    // Sample data says so in every output; the sample organisation's name may already say it.
    title: result.pack.sample && !full.includes(SAMPLE_DATA) ? `${full} (${SAMPLE_DATA})` : full,
    // Stamped with the time collection completed, never the time of rendering: re-exports are byte-identical.
    'last-modified': result.pack.completedAt,
    version: result.asOf,
    'oscal-version': OSCAL_VERSION,
    props: [
      { name: 'marking', value: oneLine(options.marking) },
      ...(options.system ? [prop('system-name', oneLine(options.system))] : []),
      prop('pack-id', result.pack.packId),
      prop('pack-manifest-sha256', result.pack.manifestSha256),
      prop('period', result.pack.period),
      prop('baseline', result.baseline),
      prop('catalog-version', result.catalog.version),
      prop('as-of', result.asOf),
      prop('tool', `${result.tool.name} ${result.tool.version}`),
      prop('sample', String(result.pack.sample)),
    ],
    ...partiesAndRoles(result),
  };
}
