import type {
  ConfigurationRecorder,
  ConfigurationRecorderStatus,
  DeliveryChannel,
  DeliveryChannelStatus,
  EvaluationResultIdentifier,
} from '@aws-sdk/client-config-service';
import type { EvidenceKind } from '../evidence/kinds';
import type { ComplianceType, ConformancePack, Evaluation, RecorderStatus, Resource } from '../evidence/records';
import { checked, isoTimestamp, MalformedResponseError, parseEmbeddedJson } from './malformed';

/**
 * AWS Config answers turned into pack records, shared by the per-account and the aggregator
 * collectors. Each record is checked against the pack schema, so an answer that lacks what the
 * API documents becomes a gap rather than a record the reader would reject later.
 */

/** What either Config collector writes, through accounts or an aggregator. */
export const CONFIG_KINDS = ['recorderStatus', 'configRules', 'evaluations', 'resources', 'conformancePacks'] as const satisfies readonly EvidenceKind[];

export interface Location {
  accountId: string;
  region: string;
}

/**
 * The result types GetComplianceDetailsByConfigRule can filter on. INSUFFICIENT_DATA is
 * never an evaluation result and the API rejects it as a filter (at most three types), so the
 * three are every result there is; they are asked for explicitly rather than left to the
 * service's default.
 */
export const EVALUATION_RESULT_TYPES: ComplianceType[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/** The page size of both evaluation APIs: their documented maximum. */
export const EVALUATIONS_PAGE_SIZE = 100;

/** The inventory fields of an advanced query (SelectResourceConfig / SelectAggregateResourceConfig). */
export const INVENTORY_FIELDS = 'SELECT accountId, awsRegion, resourceType, resourceId, resourceName, arn';
export const INVENTORY_PAGE_SIZE = 100;

const upper = <T extends string>(value: string | undefined): T | null => (value ? (value.toUpperCase() as T) : null);

/**
 * One location's recorder and delivery state. A Region can also hold service-linked recorders
 * (made by other AWS services for their own use); the customer-managed one, which has no
 * service principal, is the one that records the estate.
 */
export function toRecorderStatus(
  loc: Location,
  recorders: ConfigurationRecorder[],
  statuses: ConfigurationRecorderStatus[],
  delivery: { channels: DeliveryChannel[]; statuses: DeliveryChannelStatus[] } | null,
): RecorderStatus {
  const recorder = recorders.find((r) => !r.servicePrincipal) ?? null;
  const status = recorder ? statuses.find((s) => s.name === recorder.name) : undefined;
  const channel = delivery?.channels[0];
  const channelStatus = channel ? delivery?.statuses.find((s) => s.name === channel.name) : undefined;
  return checked(
    'recorderStatus',
    {
      ...loc,
      recorderName: recorder?.name ?? null,
      recording: status?.recording ?? false,
      // Config reports "NotApplicable" for a recorder that never ran: no status to show.
      lastStatus: status?.lastStatus === 'NotApplicable' ? null : upper(status?.lastStatus),
      lastStatusChangeTime: isoTimestamp(status?.lastStatusChangeTime),
      deliveryChannelName: channel?.name ?? null,
      lastDeliveryStatus: upper(channelStatus?.configHistoryDeliveryInfo?.lastStatus),
    },
    'configuration recorder status',
  );
}

/** An evaluation result as both GetComplianceDetailsByConfigRule and its aggregate twin return it. */
export interface EvaluationAnswer {
  EvaluationResultIdentifier?: EvaluationResultIdentifier;
  ComplianceType?: string;
  ResultRecordedTime?: Date;
  ConfigRuleInvokedTime?: Date;
  Annotation?: string;
}

export function toEvaluation(loc: Location, ruleName: string, result: EvaluationAnswer): Evaluation {
  const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
  return checked(
    'evaluations',
    {
      ...loc,
      ruleName: qualifier?.ConfigRuleName ?? ruleName,
      resourceType: qualifier?.ResourceType,
      resourceId: qualifier?.ResourceId,
      complianceType: result.ComplianceType,
      annotation: result.Annotation ?? null,
      resultRecordedTime: isoTimestamp(result.ResultRecordedTime),
      configRuleInvokedTime: isoTimestamp(result.ConfigRuleInvokedTime),
    },
    `evaluation of ${qualifier?.ResourceType ?? '?'} ${qualifier?.ResourceId ?? '?'}`,
  );
}

/** A row of an advanced inventory query (a JSON document in a string). */
export function toResource(row: string, region: string | null): Resource {
  const r = parseEmbeddedJson(row, 'inventory query result') as Record<string, unknown>;
  return checked(
    'resources',
    {
      accountId: r.accountId,
      region: r.awsRegion ?? region,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      resourceName: r.resourceName ?? null,
      arn: r.arn ?? null,
    },
    `inventory item ${String(r.resourceType)} ${String(r.resourceId)}`,
  );
}

/**
 * A conformance pack's compliance from its rules', the way Config rolls it up: any
 * non-compliant rule makes the pack non-compliant, any compliant one (and no failure) makes it
 * compliant, and rules that all lack data leave it without data.
 */
export function toConformancePack(loc: Location, name: string, ruleCompliance: (string | undefined)[]): ConformancePack {
  const complianceType = ruleCompliance.includes('NON_COMPLIANT') ? 'NON_COMPLIANT' : ruleCompliance.includes('COMPLIANT') ? 'COMPLIANT' : 'INSUFFICIENT_DATA';
  return checked('conformancePacks', { ...loc, name, complianceType }, `conformance pack ${name}`);
}

/** A rule's parameters: Config returns them as a JSON object in a string. */
export function toInputParameters(text: string | undefined, ruleName: string): Record<string, string> {
  if (!text) return {};
  const parsed = parseEmbeddedJson(text, `input parameters of rule ${ruleName}`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MalformedResponseError(`input parameters of rule ${ruleName}: not a JSON object`);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
