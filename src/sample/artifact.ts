import type { ArtifactAgreement, ArtifactReport } from '../evidence/records';

/**
 * What AWS Artifact lists for the agency: AWS's own audit reports, the evidence for inherited
 * controls. Metadata only, as a collector that did not download the (AWS Confidential) files
 * would record it. The same for every seed: these are AWS's reports, not the agency's.
 */
const CERTIFICATIONS = 'Certifications and Attestations';

function report(id: string, name: string, series: string, version: number, start: string, end: string): ArtifactReport {
  return { id, name, series, category: CERTIFICATIONS, version, period: { start, end }, state: 'PUBLISHED', attachment: null };
}

export const ARTIFACT_REPORTS: readonly ArtifactReport[] = [
  report('report-7qKfX2mLpR9sVd4c', 'AWS SOC 1 Type 2 Report (April - September 2026)', 'SOC 1', 4, '2026-04-01', '2026-09-30'),
  report('report-Bn3wT8yHcZ6uJe1k', 'AWS SOC 2 Type 2 Report: Security, Availability, Confidentiality and Privacy (April - September 2026)', 'SOC 2', 4, '2026-04-01', '2026-09-30'),
  report('report-Lm5rQ0vGxN2aYs7p', 'AWS SOC 3 Report (April - September 2026)', 'SOC 3', 2, '2026-04-01', '2026-09-30'),
  report('report-Hd8cW4jKtF1oPb6z', 'AWS ISO/IEC 27001:2022 Certification and Statement of Applicability', 'ISO/IEC 27001', 7, '2026-02-09', '2026-03-20'),
  report('report-Xe2nS7gVqM9hRc3u', 'AWS ISO/IEC 27017:2015 Certification', 'ISO/IEC 27017', 6, '2026-02-09', '2026-03-20'),
  report('report-Pz6yD1bLwC8kTf5m', 'AWS ISO/IEC 27018:2019 Certification', 'ISO/IEC 27018', 6, '2026-02-09', '2026-03-20'),
  report('report-Gu4tA9fNrJ3xWq0s', 'AWS PCI DSS v4.0.1 Attestation of Compliance (AOC) and Responsibility Summary', 'PCI DSS', 3, '2025-12-01', '2026-08-28'),
  report('report-Rk1vE5hZmY7cBn2d', 'AWS IRAP Assessment Report (PROTECTED) 2026', 'IRAP', 2, '2026-01-19', '2026-06-26'),
];

export const ARTIFACT_AGREEMENTS: readonly ArtifactAgreement[] = [
  {
    id: 'customer-agreement-4fTq8WmZ2kLr',
    name: 'AWS Australian Notifiable Data Breach Addendum',
    type: 'DEFAULT',
    state: 'ACTIVE',
    effectiveStart: '2024-03-18T03:22:41.000Z',
    effectiveEnd: null,
  },
  // Accepted by mistake during account set-up (the agency handles no US health data), terminated a week later.
  {
    id: 'customer-agreement-9cHs1VnB6pXe',
    name: 'AWS Business Associate Addendum',
    type: 'DEFAULT',
    state: 'CUSTOMER_TERMINATED',
    effectiveStart: '2023-05-02T06:10:05.000Z',
    effectiveEnd: '2023-05-09T00:47:52.000Z',
  },
];
