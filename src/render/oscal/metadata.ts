import type { Owner } from '../../assess/owners';
import type { AssessmentResult } from '../../assess/result';
import { organisationOf } from '../organisation';
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
  return options.system ?? organisationOf(result) ?? 'the AWS estate';
}

/** A control owner as a person: the system file's role is OSCAL's own `job-title` prop. */
function ownerParty(result: AssessmentResult, owner: Owner): Party {
  const name = partyName(owner.name);
  return {
    uuid: partyUuid(result, name),
    type: 'person',
    name,
    ...(owner.role ? { props: [{ name: 'job-title', value: oneLine(owner.role) }] } : {}),
    ...(owner.email ? { 'email-addresses': [owner.email] } : {}),
  };
}

/**
 * The parties the result names: the organisation the evidence belongs to (the system file's
 * agency, else the pack's), each control owner the system file names, and each attester.
 * Roles are listed only when a party holds them (OSCAL arrays may not be empty).
 */
function partiesAndRoles(result: AssessmentResult): Pick<Metadata, 'roles' | 'parties' | 'responsible-parties'> {
  const roles: Role[] = [];
  // By uuid: one person may own controls and sign attestations, and is one party holding both roles.
  const parties = new Map<string, Party>();
  const responsible: ResponsibleParty[] = [];
  const hold = (role: Role, held: Party[]) => {
    if (!held.length) return;
    roles.push(role);
    for (const party of held) if (!parties.has(party.uuid)) parties.set(party.uuid, party);
    responsible.push({ 'role-id': role.id, 'party-uuids': [...new Set(held.map((p) => p.uuid))] });
  };
  const organisation = organisationOf(result);
  const agency = organisation ? [{ uuid: partyUuid(result, organisation), type: 'organization' as const, name: partyName(organisation) }] : [];
  hold({ id: 'prepared-for', title: 'The organisation the evidence belongs to' }, agency);
  const owners = [...new Map(result.controls.flatMap((c) => (c.owner ? [ownerParty(result, c.owner)] : [])).map((p) => [p.uuid, p])).values()];
  hold({ id: 'control-owner', title: "A person who answers for controls' evidence (the system file's control owners)" }, owners);
  const attesters = [...new Set(result.controls.flatMap((c) => c.evidence.attestations.map((a) => partyName(a.attester))))];
  hold({ id: 'attester', title: 'A person who signed an attestation in the evidence pack' }, attesters.map((name) => ({ uuid: partyUuid(result, name), type: 'person', name })));
  return roles.length ? { roles, parties: [...parties.values()], 'responsible-parties': responsible } : {};
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
