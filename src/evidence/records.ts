import { z } from 'zod';
import { ATTESTED_IMPLEMENTATIONS } from '../assess/annex';

/**
 * Evidence records: one JSON object per line in the pack's JSON Lines files. Each schema is
 * strict (unknown fields are errors) so that a typo in hand-edited or third-party evidence is
 * caught instead of silently ignored. docs/evidence-pack.md documents every field.
 */

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as ap-southeast-2');
const timestamp = z.iso.datetime({ offset: true });
const date = z.iso.date();
const nonEmpty = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
export const controlId = z.string().regex(/^ism-(\d{4}|principle-[a-z]{3}-\d{2})$/, 'must be an ISM id such as ism-1234');

/** Where in the estate a piece of Config evidence was read. */
const located = { accountId, region };

export const RecorderStatus = z.strictObject({
  ...located,
  recorderName: z.string().nullable().describe('null when no recorder exists in this account and region, or when read through an aggregator'),
  recording: z.boolean(),
  lastStatus: z.enum(['PENDING', 'SUCCESS', 'FAILURE']).nullable(),
  lastStatusChangeTime: timestamp.nullable(),
  deliveryChannelName: z.string().nullable(),
  lastDeliveryStatus: z.enum(['SUCCESS', 'FAILURE', 'NOT_APPLICABLE']).nullable(),
});

export const ConfigRule = z.strictObject({
  ...located,
  ruleName: nonEmpty,
  ruleArn: z.string().nullable(),
  sourceOwner: z.enum(['AWS', 'CUSTOM_LAMBDA', 'CUSTOM_POLICY']),
  /** The managed rule identifier (e.g. S3_BUCKET_PUBLIC_READ_PROHIBITED); mappings key on this. */
  sourceIdentifier: nonEmpty,
  conformancePack: z.string().nullable(),
  inputParameters: z.record(z.string(), z.string()),
  state: z.enum(['ACTIVE', 'DELETING', 'DELETING_RESULTS', 'EVALUATING']),
});

export const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'] as const;
export const ComplianceType = z.enum(COMPLIANCE_TYPES);
// Spelled from the list, not inferred from the schema, so the result's JSON Schema can be generated from its types.
export type ComplianceType = (typeof COMPLIANCE_TYPES)[number];

export const Evaluation = z.strictObject({
  ...located,
  ruleName: nonEmpty,
  resourceType: nonEmpty,
  resourceId: nonEmpty,
  complianceType: ComplianceType,
  annotation: z.string().nullable(),
  resultRecordedTime: timestamp,
  configRuleInvokedTime: timestamp,
});

export const Resource = z.strictObject({
  ...located,
  resourceType: nonEmpty,
  resourceId: nonEmpty,
  resourceName: z.string().nullable(),
  arn: z.string().nullable(),
});

export const ConformancePack = z.strictObject({
  ...located,
  name: nonEmpty,
  complianceType: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'INSUFFICIENT_DATA']),
});

const period = z.strictObject({ start: date, end: date });

export const ArtifactReport = z.strictObject({
  id: nonEmpty,
  name: nonEmpty,
  /** e.g. "SOC 2", "ISO/IEC 27001", "IRAP": report mappings key on the series. */
  series: nonEmpty,
  category: nonEmpty,
  version: z.number().int().nonnegative(),
  period: period.nullable(),
  state: z.enum(['PUBLISHED', 'UNPUBLISHED']),
  /** Set when the report file itself was downloaded into attachments/. AWS Confidential: referenced, never embedded. */
  attachment: z.strictObject({ sha256, bytes: z.number().int().nonnegative() }).nullable(),
});

export const ArtifactAgreement = z.strictObject({
  id: nonEmpty,
  name: nonEmpty,
  type: z.enum(['DEFAULT', 'CUSTOM', 'MODIFIED']),
  state: z.enum(['ACTIVE', 'CUSTOMER_TERMINATED', 'AWS_TERMINATED']),
  effectiveStart: timestamp,
  effectiveEnd: timestamp.nullable(),
});

/** A file attached to manual evidence, stored once under attachments/<sha256>. */
export const AttachmentRef = z.strictObject({
  name: nonEmpty,
  sha256,
  bytes: z.number().int().nonnegative(),
  mediaType: nonEmpty,
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

/**
 * Set on a record that `collect --carry-forward` brought from an earlier pack, still valid at
 * the new collection date: the pack it was taken from (its attachments were checked against
 * that pack's manifest, which `manifestSha256` pins).
 */
export const CarriedForward = z.strictObject({
  packId: nonEmpty,
  period: nonEmpty,
  manifestSha256: sha256,
});
export type CarriedForward = z.infer<typeof CarriedForward>;

export const Attestation = z.strictObject({
  id: nonEmpty,
  controlIds: z.array(controlId).min(1),
  statement: nonEmpty,
  /** What the attester says implements the control; absent: not stated (an attestation says it is implemented). */
  implementation: z.enum(ATTESTED_IMPLEMENTATIONS).optional(),
  attester: nonEmpty,
  attestedOn: date,
  validUntil: date,
  attachments: z.array(AttachmentRef),
  carriedForwardFrom: CarriedForward.optional(),
});

/** An exception to a control, granted as a documented risk acceptance with an expiry. */
export const RiskException = z.strictObject({
  id: nonEmpty,
  controlIds: z.array(controlId).min(1),
  owner: nonEmpty,
  rationale: nonEmpty,
  approvedBy: nonEmpty,
  approvedOn: date,
  expiresOn: date,
  attachments: z.array(AttachmentRef),
  carriedForwardFrom: CarriedForward.optional(),
});

export type RecorderStatus = z.infer<typeof RecorderStatus>;
export type ConfigRule = z.infer<typeof ConfigRule>;
export type Evaluation = z.infer<typeof Evaluation>;
export type Resource = z.infer<typeof Resource>;
export type ConformancePack = z.infer<typeof ConformancePack>;
export type ArtifactReport = z.infer<typeof ArtifactReport>;
export type ArtifactAgreement = z.infer<typeof ArtifactAgreement>;
export type Attestation = z.infer<typeof Attestation>;
export type RiskException = z.infer<typeof RiskException>;

/** The identifier AWS Config gives every process check: they are told apart by rule name. */
export const PROCESS_CHECK_IDENTIFIER = 'AWS_CONFIG_PROCESS_CHECK';

/** A conformance pack names its rules `<template name>-conformance-pack-<random>`; the template name is what a process check maps on. */
export const templateName = (ruleName: string) => ruleName.replace(/-conformance-pack-[a-z0-9]+$/, '');
