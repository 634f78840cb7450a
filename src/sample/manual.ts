import type { PackWriter } from '../evidence/writer';
import type { AttachmentRef, Attestation } from '../evidence/records';
import { areaControls, areaDates, areaDocument, ATTESTED_AREAS } from './attestations';
import { BANNER, EXERCISE_REPORT, INCIDENT_RESPONSE_PLAN, PATCH_PROCEDURE, RESTORE_TEST_RECORD, RISK_ACCEPTANCE_MEMO, trainingRegister } from './documents';
import { streamFor } from './random';

interface File {
  name: string;
  mediaType: string;
  content: string;
}

const markdown = (name: string, content: string): File => ({ name, mediaType: 'text/markdown', content });

/**
 * Evidence for the controls no API can show: attestations by the people accountable, with the
 * documents behind them, and one risk acceptance. One attestation ran out before collection
 * (the yearly restoration test is overdue), so a report has an expired attestation to show. The
 * yearly attestations of whole topic areas (attestations.ts) follow; a control already attested
 * above is left to that attestation, so the overdue restoration test stays overdue.
 */
export async function writeManualEvidence(writer: PackWriter, seed: number): Promise<void> {
  const attach = async (files: File[]): Promise<AttachmentRef[]> => {
    const refs: AttachmentRef[] = [];
    for (const f of files) refs.push(await writer.attach(f.name, Buffer.from(f.content, 'utf8'), f.mediaType));
    return refs;
  };

  const handAttested = new Set<string>();
  const attest = async (record: Attestation) => {
    for (const id of record.controlIds) handAttested.add(id);
    await writer.write('attestations', record);
  };
  const dates = streamFor(seed, 'attestation-dates');

  const register = trainingRegister(streamFor(seed, 'training-register'), 48);
  await attest({
    id: 'ATT-2026-001',
    controlIds: ['ism-0252', 'ism-1565', 'ism-2022'],
    statement:
      `Cyber security awareness training for 2026 is recorded in the attached register: ${register.complete} of ${register.staff} ` +
      'listed staff have completed it, privileged users with the privileged user module; overdue staff are followed up by their managers.',
    attester: 'Sam Taylor, Security Awareness Lead',
    attestedOn: '2026-08-29',
    validUntil: '2027-08-31',
    attachments: await attach([{ name: 'training-completion-register-2026.csv', mediaType: 'text/csv', content: register.csv }]),
  });
  await attest({
    id: 'ATT-2026-002',
    controlIds: ['ism-1143', 'ism-0298'],
    statement:
      'The attached patch management procedure is approved and followed for every workload in the AWS estate; patches are applied ' +
      'centrally through Systems Manager Patch Manager from vendor sources only.',
    attester: 'Jordan Lee, Director Infrastructure Operations',
    attestedOn: '2026-07-14',
    validUntil: '2027-07-13',
    attachments: await attach([markdown('patch-management-procedure-v3.2.md', PATCH_PROCEDURE)]),
  });
  await attest({
    id: 'ATT-2026-003',
    controlIds: ['ism-0576', 'ism-0043', 'ism-1784'],
    statement:
      'The cyber security incident response plan (version 4.0, attached) is approved and covers the AWS-hosted systems; it was ' +
      'exercised on 2026-05-21 and the lessons learned were actioned.',
    attester: 'Alex Citizen, Chief Information Security Officer',
    attestedOn: '2026-08-03',
    validUntil: '2027-08-02',
    attachments: await attach([markdown('incident-response-plan-v4.0.md', INCIDENT_RESPONSE_PLAN), markdown('ir-exercise-report-2026-05.md', EXERCISE_REPORT)]),
  });
  await attest({
    id: 'ATT-2025-011',
    controlIds: ['ism-1515', 'ism-1548'],
    statement:
      'Restoration of the payroll and records systems from backups to a common point in time was tested in the October 2025 ' +
      'disaster recovery exercise, following the documented restoration procedure.',
    attester: 'Morgan Wright, Business Continuity Manager',
    attestedOn: '2025-10-24',
    validUntil: '2026-10-31',
    attachments: await attach([markdown('dr-restoration-test-2025-10.md', RESTORE_TEST_RECORD)]),
  });

  for (const area of ATTESTED_AREAS) {
    const { attestedOn, validUntil } = areaDates(area, dates);
    await writer.write('attestations', {
      id: area.id,
      controlIds: areaControls(area).filter((id) => !handAttested.has(id)),
      statement: area.statement,
      attester: area.attester,
      attestedOn,
      validUntil,
      attachments: await attach([markdown(area.document.name, areaDocument(area, BANNER, attestedOn))]),
    });
  }

  await writer.write('exceptions', {
    id: 'RA-2026-014',
    controlIds: ['ism-0974', 'ism-1505'],
    owner: 'Chris Nguyen, Chief Finance Officer (payroll system owner)',
    rationale:
      'The vendor payroll reconciliation tool signs in as IAM user svc-legacy-payroll and cannot complete an MFA challenge. The user ' +
      'can read one S3 prefix only, from the agency egress range, with alerting on any other call; the IAM Identity Center capable ' +
      'release due in February 2027 removes the need for it.',
    approvedBy: 'Alex Citizen, Chief Information Security Officer',
    approvedOn: '2026-06-30',
    expiresOn: '2027-03-31',
    attachments: await attach([markdown('risk-acceptance-RA-2026-014.md', RISK_ACCEPTANCE_MEMO)]),
  });
}
