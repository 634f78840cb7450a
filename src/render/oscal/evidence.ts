import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { ATTACHMENTS_DIR, EVIDENCE_KINDS } from '../../evidence/kinds';
import { dayEnd, dayStart, partyUuid, prop } from './common';
import type { Observation, ObservationMethod, RelevantEvidence, Resource } from './model';
import { exportUuid } from './uuid';

/**
 * The evidence side of an export: back-matter resources for the pack's files, and one
 * observation per evidence source of a control (docs/oscal.md, "Observations").
 */

/** The kinds of evidence an observation stands for, with the OSCAL method that made it. */
export const EVIDENCE_SOURCES = {
  /** AWS Config evaluating a managed rule: an automated test of the resources' configuration. */
  'config-rule': 'TEST',
  /** A person's answer to an AWS Config process check, recorded in Config. */
  'process-check': 'INTERVIEW',
  /** A signed attestation and the documents attached to it. */
  attestation: 'EXAMINE',
  /** An AWS Artifact report evidencing AWS's half of a shared or inherited control. */
  'artifact-report': 'EXAMINE',
  /** Where the inventory's resources lie, against the allowed regions. */
  'data-residency': 'TEST',
} as const satisfies Record<string, ObservationMethod>;
export type EvidenceSource = keyof typeof EVIDENCE_SOURCES;

/** The pack files observations cite, by evidence kind (paths relative to the pack's root). */
const CITED_FILES = ['evaluations', 'configRules', 'resources', 'attestations', 'artifactReports'] as const;
type CitedFile = (typeof CITED_FILES)[number];

const resourceUuid = (result: AssessmentResult, ...key: string[]) => exportUuid(result.pack.packId, 'resource', ...key);
const fileUuid = (result: AssessmentResult, kind: CitedFile) => resourceUuid(result, 'file', EVIDENCE_KINDS[kind].file);
const attachmentUuid = (result: AssessmentResult, sha256: string) => resourceUuid(result, 'attachment', sha256);
export const manifestUuid = (result: AssessmentResult) => resourceUuid(result, 'manifest');

const fileEvidence = (result: AssessmentResult, kind: CitedFile, what: string): RelevantEvidence => ({
  href: `#${fileUuid(result, kind)}`,
  description: `${what}: ${EVIDENCE_KINDS[kind].file} in evidence pack ${result.pack.packId}.`,
});
const attachmentEvidence = (result: AssessmentResult, name: string, sha256: string): RelevantEvidence => ({
  href: `#${attachmentUuid(result, sha256)}`,
  description: `${name}: ${ATTACHMENTS_DIR}/${sha256} in evidence pack ${result.pack.packId} (SHA-256 ${sha256}).`,
});

/** Every attachment the result cites, each once, in the order the controls first cite it. */
function citedAttachments(result: AssessmentResult): { sha256: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const c of result.controls) {
    for (const a of c.evidence.attestations) for (const f of a.attachments) if (!seen.has(f.sha256)) seen.set(f.sha256, `${f.name} (attestation ${a.id})`);
    for (const r of c.evidence.reports) {
      if (r.attachmentSha256 && !seen.has(r.attachmentSha256)) seen.set(r.attachmentSha256, `AWS Artifact report "${r.name}" (AWS Confidential: referenced, not reproduced)`);
    }
  }
  return [...seen].map(([sha256, title]) => ({ sha256, title }));
}

/**
 * The back-matter resources for the pack: its manifest (whose SHA-256 pins every file), the
 * evidence files observations cite and every cited attachment. Hrefs are relative to the
 * pack's root folder: where the pack is kept is not the report's to know.
 */
export function packResources(result: AssessmentResult): Resource[] {
  const { packId, manifestSha256 } = result.pack;
  const inPack = `of evidence pack ${packId}; the path is relative to the pack's root folder`;
  return [
    {
      uuid: manifestUuid(result),
      title: `Evidence pack ${packId}: manifest.json`,
      description: `The manifest ${inPack}. It lists every file of the pack with its SHA-256, so its own SHA-256 pins the whole pack.`,
      props: [prop('pack-id', packId)],
      rlinks: [{ href: 'manifest.json', 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: manifestSha256 }] }],
    },
    ...CITED_FILES.map((kind) => ({
      uuid: fileUuid(result, kind),
      title: `Evidence pack ${packId}: ${EVIDENCE_KINDS[kind].file}`,
      description: `An evidence file ${inPack}. Its SHA-256 is listed in the pack's manifest.json.`,
      rlinks: [{ href: EVIDENCE_KINDS[kind].file }],
    })),
    ...citedAttachments(result).map(({ sha256, title }) => ({
      uuid: attachmentUuid(result, sha256),
      title,
      description: `An attachment ${inPack}, stored under its SHA-256.`,
      rlinks: [{ href: `${ATTACHMENTS_DIR}/${sha256}`, hashes: [{ algorithm: 'SHA-256' as const, value: sha256 }] }],
    })),
  ];
}

const counted = (counts: Record<string, number>) =>
  `${counts.COMPLIANT} compliant, ${counts.NON_COMPLIANT} non-compliant, ${counts.NOT_APPLICABLE} not applicable and ${counts.INSUFFICIENT_DATA} with insufficient data`;

/** The observations of one control: one per evidence source, in the order the result lists the evidence. */
export function controlObservations(result: AssessmentResult, control: ControlAssessment): Observation[] {
  const observation = (source: EvidenceSource, key: string, fields: Omit<Observation, 'uuid' | 'props' | 'methods'>): Observation => ({
    uuid: exportUuid(result.pack.packId, 'observation', control.id, source, key),
    title: fields.title,
    description: fields.description,
    props: [prop('evidence-source', source), prop('control-id', control.id)],
    methods: [EVIDENCE_SOURCES[source]],
    ...(fields.origins ? { origins: fields.origins } : {}),
    'relevant-evidence': fields['relevant-evidence'],
    collected: fields.collected,
    ...(fields.expires ? { expires: fields.expires } : {}),
  });
  const { evidence } = control;
  const collectedAt = result.pack.completedAt;
  return [
    ...evidence.rules.map((r) =>
      observation('config-rule', r.sourceIdentifier, {
        title: `AWS Config rule ${r.sourceIdentifier} on ${control.id}`,
        description: `AWS Config managed rule ${r.sourceIdentifier} (deployed as ${r.ruleNames.join(', ')}) gave ${counted(r.counts)} distinct results.`,
        'relevant-evidence': [fileEvidence(result, 'evaluations', 'The rule\'s evaluations'), fileEvidence(result, 'configRules', 'The rule\'s deployments')],
        collected: collectedAt,
      }),
    ),
    ...evidence.processChecks.map((p) =>
      observation('process-check', `${p.name}/${p.accountId}`, {
        title: `AWS Config process check ${p.name} in account ${p.accountId}`,
        description: `Recorded ${p.complianceType} in ${p.accountId} ${p.region} (rule ${p.ruleName})${p.annotation ? `: ${p.annotation}` : ', without an annotation'}.`,
        'relevant-evidence': [fileEvidence(result, 'evaluations', 'The recorded result')],
        collected: p.resultRecordedTime,
        expires: dayEnd(p.validUntil),
      }),
    ),
    ...evidence.attestations.map((a) =>
      observation('attestation', a.id, {
        title: `Attestation ${a.id}`,
        description: `Attested by ${a.attester} on ${a.attestedOn}${a.implementation ? ` as ${a.implementation}` : ''}, valid until ${a.validUntil}${a.expired ? ' (expired at the as-of date)' : ''}.`,
        origins: [{ actors: [{ type: 'party', 'actor-uuid': partyUuid(result, a.attester), 'role-id': 'attester' }] }],
        'relevant-evidence': [fileEvidence(result, 'attestations', `Attestation ${a.id}`), ...a.attachments.map((f) => attachmentEvidence(result, f.name, f.sha256))],
        collected: dayStart(a.attestedOn),
        expires: dayEnd(a.validUntil),
      }),
    ),
    ...evidence.reports.map((r) =>
      observation('artifact-report', r.id, {
        title: `AWS Artifact report ${r.id}`,
        description: `AWS's half is evidenced by "${r.name}" (${r.series}, version ${r.version}${r.period ? `, period ${r.period.start} to ${r.period.end}` : ''}).`,
        'relevant-evidence': [
          fileEvidence(result, 'artifactReports', `Report ${r.id}`),
          ...(r.attachmentSha256 ? [attachmentEvidence(result, r.name, r.attachmentSha256)] : []),
        ],
        collected: collectedAt,
      }),
    ),
    ...(result.dataResidency.controls.includes(control.id)
      ? [
          observation('data-residency', 'regions', {
            title: `Data residency of the inventory for ${control.id}`,
            description: `${evidence.residencyFindings} resources lie outside the allowed regions (${result.dataResidency.allowedRegions.join(', ')}).`,
            'relevant-evidence': [fileEvidence(result, 'resources', 'The resource inventory')],
            collected: collectedAt,
          }),
        ]
      : []),
  ];
}
