import type { CollectionGap } from '../evidence/manifest';
import type { CatalogControl } from '../mapping/catalog';
import type { RuleProvenance } from '../mapping/mappings';
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

/**
 * One evaluation as the pack records it, cited by file and line (1-based) so an assessor can
 * open the record a status rests on.
 */
export interface CitedEvaluation {
  /** The pack file, relative to the pack (`config/evaluations.jsonl`). */
  file: string;
  line: number;
  accountId: string;
  region: string;
  ruleName: string;
  resourceType: string;
  resourceId: string;
  complianceType: ComplianceType;
  resultRecordedTime: string;
}

/** One set of input parameters a rule identifier is deployed with, and the first deployments that use it. */
export interface ParameterSet {
  parameters: Record<string, string>;
  deployments: number;
  where: { accountId: string; region: string; ruleName: string; conformancePack: string | null }[];
}

/**
 * What the mappings say of a rule identifier for this control: whether its results decide the
 * control's status or are only shown beside it, why (config-rules.yaml's rationale), whose
 * judgement that is, and where the mapping is written.
 */
export interface RuleMappingRef {
  role: 'decides' | 'supports';
  rationale: string;
  provenance: RuleProvenance;
  /** `FILE:LINE` of the mapping entry (`mappings/config-rules.yaml:123` for the built-in ones). */
  source: string;
}

/** One Config rule identifier's distinct results as they bear on a control, traced to its deployments and evaluations. */
export interface RuleEvidence {
  sourceIdentifier: string;
  mapping: RuleMappingRef;
  ruleNames: string[];
  /** Rule records in the pack (one per account, Region and conformance pack). */
  deployments: number;
  /** Its input parameter sets, most deployed first (at most 10; `parameterSetsTotal` counts them all). */
  parameterSets: ParameterSet[];
  parameterSetsTotal: number;
  /** Names of the conformance packs that deploy it (at most 10, sorted; `conformancePacksTotal` counts them all). */
  conformancePacks: string[];
  conformancePacksTotal: number;
  /** Distinct results: one per resource, the strictest of its deployments' results deciding. */
  counts: ComplianceCounts;
  /** Resources its deployments judged differently, and how many of those had different input parameters. */
  disagreements: { resources: number; differentParameters: number };
  /**
   * The evaluations cited: the deciding one of each of its first 25 distinct failing resources,
   * and the first 3 resources found compliant that stayed compliant. The counts give the rest.
   */
  cited: { failing: CitedEvaluation[]; compliant: CitedEvaluation[] };
}

/** A failing resource, once per control, enough for an auditor to find it; `file` and `line` cite its deciding evaluation. */
export interface Finding extends Omit<CitedEvaluation, 'complianceType'> {
  sourceIdentifier: string;
  annotation: string | null;
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
  evidence: {
    /** The rules whose results decide the status (`mapping.role` is `decides`). */
    rules: RuleEvidence[];
    /** Rules mapped as supporting evidence only (`mapping.role` is `supports`): shown, never deciding the status. */
    supportingRules: RuleEvidence[];
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
    /** Raw evaluations in the pack, per compliance type. */
    evaluations: ComplianceCounts;
    /** Distinct results over every rule identifier (see docs/assessment-result.md). */
    results: ComplianceCounts;
    resources: number;
  };
  controls: ControlAssessment[];
}
