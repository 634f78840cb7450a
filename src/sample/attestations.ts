import { builtinCatalog } from '../mapping/catalog';
import type { Random } from './random';
import { DAY, iso } from './timeline';

/**
 * The agency's yearly attestations of its procedural controls: one per ISM topic area, signed by
 * the person who owns it, naming whole sections so that the attested share of the baseline is
 * realistic (a few hundred controls, not a handful). The statements are the agency's own words.
 */
export interface AttestedArea {
  id: string;
  attester: string;
  /** Guideline title and the section titles within it that the attestation covers. */
  guideline: string;
  sections: readonly string[];
  statement: string;
  /** The document the attestation rests on, attached as a short SAMPLE DATA file. */
  document: { name: string; title: string };
  /** Nominal signing date; the user's seed moves it by up to three weeks. */
  around: string;
}

export const ATTESTED_AREAS: readonly AttestedArea[] = [
  {
    id: 'ATT-2026-010',
    attester: 'Alex Citizen, Chief Information Security Officer',
    guideline: 'Guidelines for cyber security roles',
    sections: ['Board of directors and executive committee', 'Chief information security officer', 'System owners'],
    statement:
      'The cyber security governance charter (attached) assigns the executive, CISO and system owner responsibilities for the AWS-hosted ' +
      'systems; the executive committee received the quarterly cyber security report and each system owner has signed their obligations.',
    document: { name: 'cyber-security-governance-charter-2026.md', title: 'Cyber security governance charter, 2026' },
    around: '2026-07-28',
  },
  {
    id: 'ATT-2026-011',
    attester: 'Riley Chen, System Owner (Corporate Systems)',
    guideline: 'Guidelines for cyber security documentation',
    sections: ['Development and maintenance of cyber security documentation', 'System-specific cyber security documentation'],
    statement:
      'The cyber security strategy, system security plans, incident response plans and continuous monitoring plans of the AWS-hosted ' +
      'systems are current, approved and listed with their review dates in the attached document register.',
    document: { name: 'cyber-security-document-register-2026.md', title: 'Cyber security document register, 2026' },
    around: '2026-08-11',
  },
  {
    id: 'ATT-2026-012',
    attester: 'Alex Citizen, Chief Information Security Officer',
    guideline: 'Guidelines for cyber security incidents',
    sections: ['Managing cyber security incidents', 'Responding to cyber security incidents'],
    statement:
      'Cyber security events are detected, recorded in the incident register and handled under incident response plan 4.0; the ' +
      'register extract attached shows every incident this year triaged, contained and reported as the plan requires.',
    document: { name: 'incident-register-extract-2026.md', title: 'Incident register extract, January to October 2026' },
    around: '2026-10-06',
  },
  {
    id: 'ATT-2026-013',
    attester: 'Dana Singh, Chief Procurement Officer',
    guideline: 'Guidelines for procurement and outsourcing',
    sections: ['Cyber supply chain risk management', 'Managed services and cloud services'],
    statement:
      'Suppliers of the AWS-hosted systems, AWS among them, were assessed for cyber supply chain risk before contract; contracts set ' +
      'security, notification and data location obligations, and the attached supplier register records each review.',
    document: { name: 'supplier-security-register-2026.md', title: 'Supplier security register, 2026' },
    around: '2026-06-19',
  },
  {
    id: 'ATT-2026-014',
    attester: 'Taylor Brown, Agency Security Adviser',
    guideline: 'Guidelines for personnel security',
    sections: ['Access to systems and their resources', 'Cyber security awareness training'],
    statement:
      'Access to the AWS-hosted systems is granted on documented need, after the required security clearance, approved by the system ' +
      'owner and revalidated every year; the attached access review report covers the 2026 revalidation.',
    document: { name: 'access-revalidation-report-2026.md', title: 'Access revalidation report, 2026' },
    around: '2026-09-02',
  },
  {
    id: 'ATT-2026-015',
    attester: 'Jordan Lee, Director Infrastructure Operations',
    guideline: 'Guidelines for system management',
    sections: ['System administration'],
    statement:
      'Administration of the AWS estate is done only from privileged access workstations through IAM Identity Center and Session ' +
      'Manager, with separate privileged accounts; the attached administration standard describes the arrangements.',
    document: { name: 'system-administration-standard-v2.md', title: 'System administration standard, version 2' },
    around: '2026-07-14',
  },
  {
    id: 'ATT-2026-016',
    attester: 'Priya Patel, Head of Digital Delivery',
    guideline: 'Guidelines for software development',
    sections: ['Software development fundamentals', 'Web application development'],
    statement:
      'In-house applications on AWS are built under the secure development standard (attached): separate environments, peer review, ' +
      'dependency and static analysis in the pipeline, threat models for new features and a software bill of materials per release.',
    document: { name: 'secure-development-standard-v1.4.md', title: 'Secure software development standard, version 1.4' },
    around: '2026-08-25',
  },
];

/** The system is PROTECTED, so an area's attestation covers the controls of its sections that apply at PROTECTED. */
export function areaControls(area: AttestedArea): string[] {
  return builtinCatalog()
    .controls.filter((c) => c.guideline === area.guideline && area.sections.includes(c.section) && c.applicability.includes('P'))
    .map((c) => c.id);
}

/** Signed within three weeks of the nominal date (the seed decides), valid for a year. */
export function areaDates(area: AttestedArea, rng: Random): { attestedOn: string; validUntil: string } {
  const signed = Date.parse(`${area.around}T00:00:00Z`) + rng.between(-10, 10) * DAY;
  return { attestedOn: iso(signed).slice(0, 10), validUntil: iso(signed + 364 * DAY).slice(0, 10) };
}

/** The short document behind an attestation: marked SAMPLE DATA, naming the sections it covers. */
export function areaDocument(area: AttestedArea, banner: string, attestedOn: string): string {
  return [
    `# ${area.document.title}`,
    '',
    banner,
    '',
    `Owner: ${area.attester}. Approved ${attestedOn}.`,
    '',
    `Covers the agency's arrangements for the following ISM sections (${area.guideline}):`,
    ...area.sections.map((s) => `- ${s}`),
    '',
  ].join('\n');
}
