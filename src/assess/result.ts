import type { CatalogControl } from '../mapping/catalog';
import type { RuleProvenance } from '../mapping/mappings';
import type { ComplianceType } from '../evidence/records';
import type { Responsibility, ServiceCategory } from '../mapping/responsibility';
import type { AnnexResponsibility, AttestedImplementation, ImplementationStatus } from './annex';
import type { PracticeAssessment } from './practices';
import type { Owner, SystemIdentity } from './owners';

/**
 * Assessment result v2: the contract between the assessment step and every renderer
 * (documented in docs/assessment-result.md, schema in docs/assessment-result.schema.json).
 * Renderers read only this; the large Evidence and Resources tables stream from the pack files
 * it names, each checked against the SHA-256 recorded here.
 *
 * The types here are plain interfaces (no zod inference) so that ts-json-schema-generator can
 * derive the schema from them.
 */
export const RESULT_FORMAT = 'auditpack/assessment-result';
export const RESULT_FORMAT_VERSION = 2;

import { STATUSES, type Status } from './status-table';

/** The status vocabulary, ordered from most to least in need of attention: see STATUS_TABLE. */
export { STATUSES, type Status };

/** The statuses that show a problem with evidence in hand: ranked before "not assessed". */
export const ATTENTION_STATUSES: readonly Status[] = STATUSES.slice(0, STATUSES.indexOf('not-assessed'));
export const needsAttention = (s: Status): boolean => ATTENTION_STATUSES.includes(s);

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

/** A part of the estate that could not be read (as the pack manifest records it). */
export interface CollectionGapRef {
  collector: string;
  service: string;
  operation: string;
  accountId: string | null;
  region: string | null;
  errorCode: string;
  message: string;
}

/** An account and Region. */
export interface Location {
  accountId: string;
  region: string;
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
  /** The annex implementation the attester stated (`attest import` records it); absent when not stated. */
  implementation?: AttestedImplementation;
  expired: boolean;
  attachments: { name: string; sha256: string }[];
  /** Present when the attestation came from an earlier pack. */
  carriedForwardFrom?: CarriedForwardRef;
}

export interface ExceptionRef {
  id: string;
  owner: string;
  approvedBy: string;
  expiresOn: string;
  expired: boolean;
  /** Present when the risk acceptance came from an earlier pack. */
  carriedForwardFrom?: CarriedForwardRef;
}

export interface ReportRef {
  id: string;
  name: string;
  series: string;
  version: number;
  period: { start: string; end: string } | null;
  attachmentSha256: string | null;
}

/** Whether the assessment relied on a manual record: a record no assessed control refers to is "unused". */
export type ManualState = 'valid' | 'expired' | 'unused';

/** A file attached to a manual record, stored in the pack under attachments/<sha256>. */
export interface Attachment {
  name: string;
  sha256: string;
  bytes: number;
  mediaType: string;
}

/** The pack a manual record was carried forward from (`collect --carry-forward`). */
export interface CarriedForwardRef {
  packId: string;
  period: string;
  manifestSha256: string;
}

/** What `collect --carry-forward` took from an earlier pack, and the records it left for renewal. */
export interface PackCarryForward {
  from: CarriedForwardRef;
  /** The date validity was judged at: the day the pack's collection completed. */
  judgedAt: string;
  /** Ids of the carried records. */
  carried: string[];
  /** Ids of the earlier pack's records that `--attestations` gave again (same id): the new one is in the pack. */
  replaced: string[];
  /** Records of the earlier pack that had expired (until: their validUntil or expiresOn) and were not carried. */
  needsRenewal: { kind: 'attestation' | 'risk-acceptance'; id: string; controlIds: string[]; until: string }[];
}

/** An attestation in the pack, with how the assessment used it. */
export interface ManualAttestation {
  id: string;
  controlIds: string[];
  statement: string;
  /** The annex implementation the attester stated; absent when not stated. */
  implementation?: AttestedImplementation;
  attester: string;
  attestedOn: string;
  validUntil: string;
  attachments: Attachment[];
  /** Present when the record came from an earlier pack. */
  carriedForwardFrom?: CarriedForwardRef;
  state: ManualState;
}

/** A risk acceptance in the pack, with how the assessment used it. */
export interface ManualException {
  id: string;
  controlIds: string[];
  owner: string;
  rationale: string;
  approvedBy: string;
  approvedOn: string;
  expiresOn: string;
  attachments: Attachment[];
  /** Present when the record came from an earlier pack. */
  carriedForwardFrom?: CarriedForwardRef;
  state: ManualState;
}

/** An AWS Artifact report the pack references, with the scope decisions the assessment made on it. */
export interface ArtifactReportEntry {
  id: string;
  name: string;
  series: string;
  version: number;
  period: { start: string; end: string } | null;
  state: 'PUBLISHED' | 'UNPUBLISHED';
  /** The downloaded report file (AWS Confidential: referenced, never reproduced); null when not downloaded. */
  attachmentSha256: string | null;
  /** The controls whose AWS half it evidences within its scope. */
  evidences: string[];
  /** The controls of a mapped series it does not evidence (the reasons are in each control's `reportsExcluded`). */
  excludedFrom: string[];
}

/** One file of the evidence pack as its manifest lists it, described. */
export interface PackFileEntry {
  /** Relative to the pack folder, with forward slashes. */
  path: string;
  sha256: string;
  bytes: number;
  /** Records of a JSON Lines file; null for other files. */
  records: number | null;
  /** Which evidence it holds, or for an attachment, what it is attached to. */
  description: string;
  /** An AWS Artifact report file: AWS Confidential, named and hashed, never reproduced. */
  confidential: boolean;
}

/**
 * A control as the catalog describes it (id, kind, guideline/section/topic titles, principle
 * label and title, revision, updated, applicability, Essential Eight maturity levels, and the
 * statement text or null with the built-in index), with its assessment. The catalog facts are
 * all kept, though the result is for one baseline, because the SSP annex prints them per control.
 */
export interface ControlAssessment extends CatalogControl {
  /** The responsibility that governs the assessment: the most demanding across the categories in use. */
  responsibility: Responsibility;
  responsibilityByCategory: Partial<Record<ServiceCategory, Responsibility>>;
  status: Status;
  /** One sentence on why this status, naming the evidence (or its absence). */
  rationale: string;
  /** AWS's half for shared and inherited controls; null for customer controls. */
  awsHalf: AwsHalf | null;
  /** Who answers for this control's evidence, from the system file's owners (src/assess/owners.ts); null when none covers it. */
  owner: Owner | null;
  /** The SSP annex implementation status, decided from the status (docs/assessment-result.md, "SSP annex"). */
  implementation: ImplementationStatus;
  /** The SSP annex responsibility: the categories' own when they agree, Shared when they differ. */
  annexResponsibility: AnnexResponsibility;
  /** The annex's implementation comments, written from the evidence: what, how much, which failures, who attested and when. */
  implementationComments: string;
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
  /** The system assessed, from the system file; null when none was given. */
  system: SystemIdentity | null;
  pack: {
    packId: string;
    manifestSha256: string;
    period: string;
    sample: boolean;
    organisation: string | null;
    scope: { accounts: { accountId: string; name: string | null }[]; regions: string[] };
    startedAt: string;
    completedAt: string;
    gaps: CollectionGapRef[];
    /**
     * Where the pack was when assessed: relative to the folder holding this result when written
     * into a report folder (forward slashes), else as given. `report --from-result` streams the
     * Evidence and Resources tables from it.
     */
    location: string;
    collectors: { name: string; startedAt: string; completedAt: string }[];
    /** Every file of the pack, so a renderer can verify what it streams and list the pack's contents. */
    files: PackFileEntry[];
    /** Only for a pack collected with --carry-forward. */
    carryForward?: PackCarryForward;
  };
  /** AWS Config recorder coverage of the in-scope locations inside the allowed regions. */
  recorders: {
    locationsInScope: number;
    /** In-scope locations whose configuration recorder was not recording, in scope order. */
    unrecorded: Location[];
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
    /** Resources outside the allowed regions, counted per region (sorted by region). */
    byRegion: { region: string; resources: number; accounts: number }[];
  };
  /** Every AWS Artifact report the pack references, in pack order. */
  artifactReports: ArtifactReportEntry[];
  /** Every attestation and risk acceptance in the pack, with its state. */
  manualEvidence: { attestations: ManualAttestation[]; exceptions: ManualException[] };
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
    /** AWS Config rule records in the pack (one per account, Region and conformance pack). */
    ruleDeployments: number;
  };
  controls: ControlAssessment[];
}
