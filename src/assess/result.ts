import type { CollectionGap } from '../evidence/manifest';
import type { CatalogControl } from '../mapping/catalog';
import type { ComplianceType } from '../evidence/records';
import type { PracticeAssessment } from './practices';

/**
 * Assessment result v1: the contract between the assessment step and every renderer
 * (documented in docs/assessment-result.md). Renderers read only this and the pack.
 */
export const RESULT_FORMAT = 'auditpack/assessment-result';
export const RESULT_FORMAT_VERSION = 1;

export const STATUSES = [
  'non-compliant',
  'insufficient-evidence',
  'attestation-expired',
  'inherited-evidence-missing',
  'not-assessed',
  'risk-accepted',
  'attested',
  'inherited-evidenced',
  'compliant',
  'not-applicable',
] as const;
/** Ordered from most to least in need of attention; renderers sort and colour by this order. */
export type Status = (typeof STATUSES)[number];

export const RESPONSIBILITIES = ['customer', 'shared', 'inherited'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const SERVICE_CATEGORIES = ['infrastructure', 'container', 'abstracted'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export type ComplianceCounts = Record<ComplianceType, number>;

/** One Config rule's results as they bear on a control. */
export interface RuleEvidence {
  sourceIdentifier: string;
  ruleNames: string[];
  counts: ComplianceCounts;
}

/** A single failing evaluation, enough for an auditor to find the resource. */
export interface Finding {
  accountId: string;
  region: string;
  ruleName: string;
  sourceIdentifier: string;
  resourceType: string;
  resourceId: string;
  annotation: string | null;
  resultRecordedTime: string;
}

/** A resource found outside the regions where the system's data may reside. */
export interface ResidencyFinding {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  arn: string | null;
}

export interface LocationCounts {
  accountId: string;
  region: string;
  counts: ComplianceCounts;
}

export interface AttestationRef {
  id: string;
  attester: string;
  attestedOn: string;
  validUntil: string;
  expired: boolean;
  attachments: { name: string; sha256: string }[];
}

export interface ExceptionRef {
  id: string;
  owner: string;
  approvedBy: string;
  expiresOn: string;
  expired: boolean;
}

export interface ReportRef {
  id: string;
  name: string;
  series: string;
  version: number;
  period: { start: string; end: string } | null;
  attachmentSha256: string | null;
}

/**
 * A control as the catalog describes it (id, kind, guideline/section/topic titles, principle
 * label and title, revision, and the statement text or null with the built-in index), with
 * its assessment. Applicability is left out: the result is for one baseline.
 */
export interface ControlAssessment extends Omit<CatalogControl, 'applicability' | 'essentialEight'> {
  /** The responsibility that governs the assessment: the most demanding across the categories in use. */
  responsibility: Responsibility;
  responsibilityByCategory: Partial<Record<ServiceCategory, Responsibility>>;
  status: Status;
  /** One sentence on why this status, naming the evidence (or its absence). */
  rationale: string;
  evidence: {
    rules: RuleEvidence[];
    byLocation: LocationCounts[];
    /** The first findings, capped per control; `findingsTotal` counts them all (the rest are in the pack). */
    findings: Finding[];
    findingsTotal: number;
    attestations: AttestationRef[];
    exceptions: ExceptionRef[];
    reports: ReportRef[];
    /** Resources outside the allowed regions, when this control is one that data residency bears on. */
    residencyFindings: number;
  };
}

export interface AssessmentResult {
  format: typeof RESULT_FORMAT;
  formatVersion: typeof RESULT_FORMAT_VERSION;
  tool: { name: string; version: string };
  /** The date statuses were judged at (attestation and exception expiry). */
  asOf: string;
  pack: {
    packId: string;
    manifestSha256: string;
    period: string;
    sample: boolean;
    organisation: string | null;
    scope: { accounts: { accountId: string; name: string | null }[]; regions: string[] };
    startedAt: string;
    completedAt: string;
    gaps: CollectionGap[];
  };
  catalog: { version: string; source: string; statementsLoaded: boolean };
  baseline: string;
  /** Service categories found in the pack, with the resource types that put them there. */
  servicesInUse: { category: ServiceCategory; resourceTypes: string[] }[];
  dataResidency: {
    allowedRegions: string[];
    /** The controls a resource outside the allowed regions is a finding against. */
    controls: string[];
    /** The first resources outside the allowed regions (capped); `total` counts them all. */
    resources: ResidencyFinding[];
    total: number;
  };
  /** Config rule identifier -> the controls it evidences, so renderers can label every evaluation. */
  ruleControls: Record<string, string[]>;
  /** The service security practices of the services in use (mappings/practices.yaml). */
  practices: PracticeAssessment[];
  totals: {
    controls: number;
    byStatus: Record<Status, number>;
    byResponsibility: Record<Responsibility, number>;
    evaluations: ComplianceCounts;
    resources: number;
  };
  controls: ControlAssessment[];
}
