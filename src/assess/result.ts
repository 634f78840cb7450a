import type { CollectionGap } from '../evidence/manifest';
import type { CatalogControl } from '../mapping/catalog';
import type { ComplianceType } from '../evidence/records';
import type { Responsibility, ServiceCategory } from '../mapping/responsibility';
import type { AnnexResponsibility, ImplementationStatus } from './annex';
import type { PracticeAssessment } from './practices';
import type { Status } from './status-table';

/**
 * Assessment result v1: the contract between the assessment step and every renderer
 * (documented in docs/assessment-result.md). Renderers read only this and the pack.
 */
export const RESULT_FORMAT = 'auditpack/assessment-result';
export const RESULT_FORMAT_VERSION = 1;

/** The status vocabulary, ordered from most to least in need of attention: see STATUS_TABLE. */
export { STATUSES, type Status } from './status-table';

export type ComplianceCounts = Record<ComplianceType, number>;

/** One Config rule identifier's distinct results as they bear on a control. */
export interface RuleEvidence {
  sourceIdentifier: string;
  ruleNames: string[];
  /** Distinct results: one per resource, the strictest of its deployments' results deciding. */
  counts: ComplianceCounts;
  /** Resources its deployments judged differently, and how many of those had different input parameters. */
  disagreements: { resources: number; differentParameters: number };
}

/** A failing resource, once per control, enough for an auditor to find it. */
export interface Finding {
  accountId: string;
  region: string;
  ruleName: string;
  sourceIdentifier: string;
  resourceType: string;
  resourceId: string;
  annotation: string | null;
  resultRecordedTime: string;
  /** The control's other rule identifiers that fail the same resource. */
  otherRules: string[];
}

/** The result a person recorded for an AWS Config process check in one account: manual evidence. */
export interface ProcessCheckRef {
  /** The process check's name as mapped (a conformance pack's suffix removed). */
  name: string;
  ruleName: string;
  accountId: string;
  region: string;
  complianceType: ComplianceType;
  annotation: string | null;
  resultRecordedTime: string;
  /** The day the recorded result stops counting (its time plus the mapping's validForDays). */
  validUntil: string;
  expired: boolean;
}

/** An Artifact report of a series mapped to the control that does not evidence it, and why. */
export interface ExcludedReport {
  id: string;
  name: string;
  series: string;
  reasons: string[];
}

/** AWS's half of a shared or inherited control: whether Artifact reports evidence it. */
export interface AwsHalf {
  evidenced: boolean;
  rationale: string;
}

/** A rule found deployed in the pack whose identifier (or process check name) maps to no control. */
export interface UnmappedRule {
  sourceIdentifier: string;
  /** For process checks, the name they are told apart by; null for other rules. */
  processCheck: string | null;
  /** Rule records in the pack (one per account, Region and conformance pack). */
  deployments: number;
  /** Its distinct results. */
  counts: ComplianceCounts;
  /** Why the rule mappings give it no deciding control (config-rules.yaml), or null when they do not know it. */
  reason: string | null;
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
  /** AWS's half for shared and inherited controls; null for customer controls. */
  awsHalf: AwsHalf | null;
  /** The SSP annex implementation status, decided from the status (docs/assessment-result.md, "SSP annex"). */
  implementation: ImplementationStatus;
  /** The SSP annex responsibility: the categories' own when they agree, Shared when they differ. */
  annexResponsibility: AnnexResponsibility;
  /** The annex's implementation comments, written from the evidence: what, how much, which failures, who attested and when. */
  implementationComments: string;
  evidence: {
    rules: RuleEvidence[];
    byLocation: LocationCounts[];
    /** The first failing resources, each once, capped per control; the rest are in the pack. */
    findings: Finding[];
    /** Distinct non-compliant results of the mapped rules (a resource failing two of them counts twice). */
    findingsTotal: number;
    attestations: AttestationRef[];
    processChecks: ProcessCheckRef[];
    exceptions: ExceptionRef[];
    /** Artifact reports that evidence AWS's half (shared and inherited controls). */
    reports: ReportRef[];
    /** Reports of a mapped series that do not, with the reasons. */
    reportsExcluded: ExcludedReport[];
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
  /** Process check name -> the controls it evidences. */
  processCheckControls: Record<string, string[]>;
  /** Rules deployed in the pack that map to no control: listed, never dropped. */
  unmappedRules: UnmappedRule[];
  /** The service security practices of the services in use (mappings/practices.yaml). */
  practices: PracticeAssessment[];
  totals: {
    controls: number;
    byStatus: Record<Status, number>;
    byResponsibility: Record<Responsibility, number>;
    /** Controls per SSP annex implementation status (every status, 0 when unused). */
    byImplementation: Record<ImplementationStatus, number>;
    /** Raw evaluations in the pack, per compliance type. */
    evaluations: ComplianceCounts;
    /** Distinct results over every rule identifier (see docs/assessment-result.md). */
    results: ComplianceCounts;
    resources: number;
  };
  controls: ControlAssessment[];
}
