/**
 * The subset of the OSCAL 1.1.2 model that auditpack emits, as TypeScript types. Field names are
 * OSCAL's own (kebab-case JSON keys), so a built object serialises as the document itself. Optional
 * arrays are left out rather than empty: OSCAL requires every array it defines to have an item.
 */

export const OSCAL_VERSION = '1.1.2';

export interface Property {
  name: string;
  value: string;
  /** Absent for OSCAL's own property names (e.g. `marking`); auditpack's namespace otherwise. */
  ns?: string;
}

export interface Hash {
  algorithm: 'SHA-256';
  value: string;
}

export interface Role {
  id: string;
  title: string;
}

export interface Party {
  uuid: string;
  type: 'organization' | 'person';
  name: string;
  props?: Property[];
  'email-addresses'?: string[];
}

export interface ResponsibleParty {
  'role-id': string;
  'party-uuids': string[];
}

export interface Metadata {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': typeof OSCAL_VERSION;
  props: Property[];
  roles?: Role[];
  parties?: Party[];
  'responsible-parties'?: ResponsibleParty[];
}

export interface Resource {
  uuid: string;
  title: string;
  description: string;
  props?: Property[];
  rlinks?: { href: string; 'media-type'?: string; hashes?: Hash[] }[];
}

export interface BackMatter {
  resources: Resource[];
}

export interface RelevantEvidence {
  href: string;
  description: string;
}

/** OSCAL's observation methods; auditpack uses the three that describe how its evidence was made. */
export type ObservationMethod = 'EXAMINE' | 'INTERVIEW' | 'TEST';

export interface Origin {
  actors: { type: 'party'; 'actor-uuid': string; 'role-id'?: string }[];
}

export interface Observation {
  uuid: string;
  title: string;
  description: string;
  props: Property[];
  methods: ObservationMethod[];
  origins?: Origin[];
  'relevant-evidence': RelevantEvidence[];
  collected: string;
  expires?: string;
}

export type ObjectiveState = 'satisfied' | 'not-satisfied';
export type ObjectiveReason = 'pass' | 'fail' | 'other';

export interface FindingTarget {
  type: 'objective-id';
  'target-id': string;
  props: Property[];
  status: { state: ObjectiveState; reason: ObjectiveReason };
}

export interface Finding {
  uuid: string;
  title: string;
  description: string;
  target: FindingTarget;
  'related-observations'?: { 'observation-uuid': string }[];
  'related-risks'?: { 'risk-uuid': string }[];
}

export type RiskStatus = 'open' | 'deviation-approved';

export interface Risk {
  uuid: string;
  title: string;
  description: string;
  statement: string;
  props: Property[];
  status: RiskStatus;
  deadline?: string;
  'related-observations'?: { 'observation-uuid': string }[];
}

export interface Result {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end: string;
  props: Property[];
  'reviewed-controls': { 'control-selections': { 'include-controls': { 'control-id': string }[] }[] };
  observations?: Observation[];
  risks?: Risk[];
  findings: Finding[];
}

export interface AssessmentResults {
  'assessment-results': {
    uuid: string;
    metadata: Metadata;
    'import-ap': { href: string; remarks: string };
    results: Result[];
    'back-matter': BackMatter;
  };
}

export interface PoamItem {
  uuid: string;
  title: string;
  description: string;
  props: Property[];
  'related-observations'?: { 'observation-uuid': string }[];
  'related-risks': { 'risk-uuid': string }[];
}

export interface PlanOfActionAndMilestones {
  'plan-of-action-and-milestones': {
    uuid: string;
    metadata: Metadata;
    observations?: Observation[];
    risks?: Risk[];
    'poam-items': PoamItem[];
    'back-matter': BackMatter;
  };
}
