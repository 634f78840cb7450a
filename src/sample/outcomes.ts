import type { ComplianceType } from '../evidence/records';
import { STRAY_REGION, type AccountRole } from './estate';
import { unit } from './random';
import type { Trait } from './resources';

export interface Verdict {
  complianceType: ComplianceType;
  annotation: string | null;
}

/** What a rule judges: a resource, or the account itself in one Region. */
export interface Subject {
  key: number;
  trait: Trait | null;
  isAccount?: true;
}

interface Profile {
  /**
   * Share of resources failing in a production account; other accounts scale it by ROLE_FACTOR.
   * None for the rules the agency keeps in order: most of them, so that a report shows mostly
   * compliant controls and a few failing ones. A few rules fail about once in the estate, so the
   * seed decides whether their controls fail and two seeds' reports differ in a few statuses.
   */
  fail?: number;
  says: string;
  /** Share judged NOT_APPLICABLE, and why. */
  notApplicable?: readonly [number, string];
}

/**
 * How often each rule fails in this fictional agency, and the annotation it leaves (also used by
 * the stories and by other seeds' failures). Rules not listed always pass. Services the agency does not use leave their account-level rules
 * NOT_APPLICABLE (see ABSENT_SERVICES).
 */
const PROFILES: Record<string, Profile> = {
  // Account-level
  ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK: { says: 'An Application Load Balancer has an HTTP listener that does not redirect to HTTPS' },
  CLOUDTRAIL_S3_DATAEVENTS_ENABLED: { says: 'No trail records S3 data events for all buckets' },
  CLOUDWATCH_LOG_GROUP_ENCRYPTED: { says: 'One or more log groups are not encrypted with an AWS KMS key' },
  EC2_EBS_ENCRYPTION_BY_DEFAULT: { says: 'EBS encryption by default is disabled in this Region' },
  EC2_INSTANCE_LAUNCHED_WITH_ALLOWED_AMI: { says: 'An instance runs an AMI that is not on the approved list' },
  ELBV2_ACM_CERTIFICATE_REQUIRED: { says: 'A load balancer listener uses a certificate not issued by ACM' },
  IAM_USER_UNUSED_CREDENTIALS_CHECK: { says: 'An IAM user has a password or access key unused for more than 45 days' },
  VPC_FLOW_LOGS_ENABLED: { says: 'A VPC in this Region has no flow log' },
  WAFV2_LOGGING_ENABLED: { says: 'A WAFv2 web ACL has no logging destination' },
  // S3
  S3_BUCKET_LOGGING_ENABLED: { says: 'Server access logging is disabled' },
  S3_BUCKET_REPLICATION_ENABLED: { fail: 0.12, says: 'Bucket has no replication rule' },
  S3_BUCKET_SSL_REQUESTS_ONLY: { says: 'Bucket policy does not deny requests where aws:SecureTransport is false' },
  S3_BUCKET_VERSIONING_ENABLED: { says: 'Versioning is suspended or was never enabled' },
  S3_DEFAULT_ENCRYPTION_KMS: { says: 'Default encryption is SSE-S3, not an AWS KMS key' },
  S3_BUCKET_MFA_DELETE_ENABLED: { fail: 0.25, says: 'MFA delete is not enabled' },
  S3_BUCKET_DEFAULT_LOCK_ENABLED: { fail: 0.25, says: 'Object Lock is not enabled' },
  S3_RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { says: 'No recovery point in a logically air-gapped vault' },
  // EC2 and EBS
  EC2_IMDSV2_CHECK: { fail: 0.008, says: 'Instance metadata service accepts IMDSv1 (HttpTokens is optional)' },
  EC2_INSTANCE_PROFILE_ATTACHED: { says: 'No IAM instance profile is attached' },
  EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN: { says: 'Instance is not protected by an AWS Backup plan' },
  EC2_RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { says: 'No recovery point in a logically air-gapped vault' },
  EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK: { says: 'Patches approved by the patch baseline are missing' },
  EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK: { says: 'A State Manager association failed on its last run' },
  RESTRICTED_INCOMING_TRAFFIC: { says: 'Allows inbound 0.0.0.0/0 on blocked port TCP 3389' },
  VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS: { says: 'Allows inbound 0.0.0.0/0 on a port other than TCP 443' },
  ENCRYPTED_VOLUMES: { says: 'Volume is not encrypted' },
  EBS_IN_BACKUP_PLAN: { says: 'Volume is not protected by an AWS Backup plan' },
  EBS_RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { says: 'No recovery point in a logically air-gapped vault' },
  EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK: { says: 'Snapshot can be restored by any AWS account' },
  // RDS
  DB_INSTANCE_BACKUP_ENABLED: { says: 'Automated backups are disabled (retention period 0 days)' },
  RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED: { says: 'Automatic minor version upgrade is disabled' },
  RDS_IN_BACKUP_PLAN: { says: 'DB instance is not protected by an AWS Backup plan' },
  RDS_INSTANCE_DELETION_PROTECTION_ENABLED: { says: 'Deletion protection is disabled' },
  RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED: { says: 'IAM database authentication is disabled' },
  RDS_INSTANCE_PUBLIC_ACCESS_CHECK: { says: 'DB instance is publicly accessible' },
  RDS_LOGGING_ENABLED: { fail: 0.025, says: 'Not every supported log type is exported to CloudWatch Logs' },
  RDS_MULTI_AZ_SUPPORT: { fail: 0.025, says: 'DB instance runs in a single Availability Zone' },
  RDS_STORAGE_ENCRYPTED: { says: 'Storage is not encrypted' },
  RDS_MYSQL_INSTANCE_ENCRYPTED_IN_TRANSIT: { fail: 0.3, says: 'require_secure_transport is OFF in the DB parameter group' },
  RDS_POSTGRES_INSTANCE_ENCRYPTED_IN_TRANSIT: { says: 'rds.force_ssl is 0 in the DB parameter group' },
  AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN: { says: 'Cluster is not protected by an AWS Backup plan' },
  AURORA_RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { says: 'No recovery point in a logically air-gapped vault' },
  RDS_CLUSTER_DELETION_PROTECTION_ENABLED: { says: 'Deletion protection is disabled' },
  RDS_CLUSTER_MULTI_AZ_ENABLED: { says: 'Cluster instances are all in one Availability Zone' },
  // IAM
  IAM_GROUP_HAS_USERS_CHECK: { says: 'Group has no users' },
  IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS: { says: 'An inline policy allows kms:Decrypt on all keys' },
  IAM_NO_INLINE_POLICY_CHECK: { says: 'Has an inline policy' },
  IAM_USER_GROUP_MEMBERSHIP_CHECK: { says: 'User is not in any IAM group' },
  IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS: { says: 'Policy allows kms:Decrypt on all keys' },
  IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS: { says: 'Policy allows Action "*" on Resource "*"' },
  IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS: { says: 'Policy allows every action of a service (for example "s3:*")' },
  // Other services
  DYNAMODB_AUTOSCALING_ENABLED: { says: 'Provisioned-capacity table has no auto scaling' },
  DYNAMODB_IN_BACKUP_PLAN: { says: 'Table is not protected by an AWS Backup plan' },
  DYNAMODB_PITR_ENABLED: { fail: 0.02, says: 'Point-in-time recovery is disabled' },
  DYNAMODB_TABLE_ENCRYPTED_KMS: { says: 'Table is encrypted with an AWS owned key, not a KMS key' },
  ALB_WAF_ENABLED: { says: 'No AWS WAF web ACL is associated' },
  ELB_LOGGING_ENABLED: { fail: 0.02, says: 'Access logging is disabled' },
  API_GW_ASSOCIATED_WITH_WAF: { says: 'No AWS WAF web ACL is associated with the stage' },
  API_GW_CACHE_ENABLED_AND_ENCRYPTED: { says: 'Stage cache is disabled or not encrypted' },
  API_GW_SSL_ENABLED: { says: 'No client certificate is configured for the stage' },
  API_GW_EXECUTION_LOGGING_ENABLED: { fail: 0.08, says: 'Execution logging is off' },
  ACM_CERTIFICATE_EXPIRATION_CHECK: { fail: 0.04, says: 'Certificate expires within 90 days' },
  ECS_CONTAINERS_NONPRIVILEGED: { says: 'A container definition sets privileged to true' },
  ECS_CONTAINERS_READONLY_ACCESS: { says: 'A container definition does not set readonlyRootFilesystem' },
  ECS_TASK_DEFINITION_NONROOT_USER: { says: 'A container definition runs as root' },
  ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK: {
    says: 'Host network mode with a container that runs as root',
    notApplicable: [0.85, 'Task definition does not use host network mode'],
  },
  EFS_IN_BACKUP_PLAN: { says: 'File system is not protected by an AWS Backup plan' },
  EFS_RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { says: 'No recovery point in a logically air-gapped vault' },
  CW_LOGGROUP_RETENTION_PERIOD_CHECK: { says: 'Retention is shorter than 365 days' },
  SNS_ENCRYPTED_KMS: { says: 'Topic is not encrypted with an AWS KMS key' },
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: { says: 'A backup rule runs less than daily or keeps recovery points under 35 days' },
  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: { says: 'Vault access policy does not deny backup:DeleteRecoveryPoint' },
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: { says: 'Recovery point is retained for fewer than 35 days' },
};

/** Account-level rules for services the agency does not run in any Region. */
const ABSENT_SERVICES: Record<string, string> = {
  ELASTICSEARCH_ENCRYPTED_AT_REST: 'No OpenSearch Service domains in this Region',
  FSX_RESOURCES_PROTECTED_BY_BACKUP_PLAN: 'No Amazon FSx file systems in this Region',
  SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED: 'No SageMaker endpoint configurations in this Region',
  SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED: 'No SageMaker notebook instances in this Region',
};

/** Non-production is looser; the security account is the best kept. */
const ROLE_FACTOR: Record<AccountRole, number> = { security: 0.5, production: 1, 'non-production': 1.6, workload: 1.1 };

/** The findings a reader of the sample should recognise; they hold whatever the seed. */
const PRODUCTION_FINDINGS: Record<string, string> = {
  ROOT_ACCOUNT_HARDWARE_MFA_ENABLED: 'The root user has a virtual MFA device only; no hardware MFA device is enabled',
  MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS: 'IAM user svc-legacy-payroll has a console password and no MFA device',
  IAM_USER_MFA_ENABLED: 'IAM user svc-legacy-payroll has no MFA device',
};
const NON_PRODUCTION_FINDINGS: Record<string, string> = {
  EC2_EBS_ENCRYPTION_BY_DEFAULT: PROFILES.EC2_EBS_ENCRYPTION_BY_DEFAULT.says,
};
/** Non-production runs with EBS encryption by default off, so many of its volumes are unencrypted. */
const NON_PRODUCTION_FAIL: Record<string, number> = { ENCRYPTED_VOLUMES: 0.35 };
/** Nobody meant to run anything in us-east-1, so nothing there was set up. */
const STRAY_REGION_FINDINGS: Record<string, string> = {
  EC2_EBS_ENCRYPTION_BY_DEFAULT: PROFILES.EC2_EBS_ENCRYPTION_BY_DEFAULT.says,
  GUARDDUTY_ENABLED_CENTRALIZED: 'GuardDuty is not enabled in this Region',
  SECURITYHUB_ENABLED: 'Security Hub is not enabled in this Region',
};
/** The stray bucket got the organisation's defaults (TLS-only policy, versioning, KMS) and nothing its own. */
const STRAY_BUCKET_FAILS = new Set([
  'S3_BUCKET_LOGGING_ENABLED',
  'S3_BUCKET_REPLICATION_ENABLED',
  'S3_BUCKET_MFA_DELETE_ENABLED',
  'S3_BUCKET_DEFAULT_LOCK_ENABLED',
]);
const ENGINE: Partial<Record<Trait, string>> = { postgres: 'PostgreSQL', mysql: 'MySQL', 'sqlserver-se': 'SQL Server' };
/** Config could not yet judge a few resources (changed minutes before a periodic run, throttled evaluations...). */
const INSUFFICIENT_DATA = 0.006;

const COMPLIANT: Verdict = { complianceType: 'COMPLIANT', annotation: null };
const nonCompliant = (annotation: string): Verdict => ({ complianceType: 'NON_COMPLIANT', annotation });
const notApplicable = (annotation: string): Verdict => ({ complianceType: 'NOT_APPLICABLE', annotation });

function story(identifier: string, subject: Subject, role: AccountRole, region: string): Verdict | null {
  if (subject.isAccount) {
    const says =
      (region === STRAY_REGION ? STRAY_REGION_FINDINGS[identifier] : undefined) ??
      (role === 'production' ? PRODUCTION_FINDINGS[identifier] : undefined) ??
      (role === 'non-production' ? NON_PRODUCTION_FINDINGS[identifier] : undefined);
    if (says) return nonCompliant(says);
    const absent = ABSENT_SERVICES[identifier];
    return absent ? notApplicable(absent) : null;
  }
  switch (subject.trait) {
    case 'stray':
      return STRAY_BUCKET_FAILS.has(identifier) ? nonCompliant(PROFILES[identifier].says) : null;
    case 'public-website':
      return identifier === 'S3_BUCKET_PUBLIC_READ_PROHIBITED' ? nonCompliant('Bucket policy grants s3:GetObject to Principal "*" (public read)') : null;
    case 'unmanaged':
      return identifier === 'EC2_INSTANCE_MANAGED_BY_SSM' ? nonCompliant('Instance is not a Systems Manager managed instance') : null;
    case 'network':
      return identifier === 'ALB_WAF_ENABLED' ? notApplicable('Network Load Balancer: AWS WAF protects Application Load Balancers only') : null;
    case 'postgres':
    case 'mysql':
    case 'sqlserver-se': {
      const engine = ENGINE[subject.trait];
      if (identifier === 'RDS_MYSQL_INSTANCE_ENCRYPTED_IN_TRANSIT' && subject.trait !== 'mysql') return notApplicable(`${engine} instance; the rule checks MySQL only`);
      if (identifier === 'RDS_POSTGRES_INSTANCE_ENCRYPTED_IN_TRANSIT' && subject.trait !== 'postgres') return notApplicable(`${engine} instance; the rule checks PostgreSQL only`);
      return null;
    }
    default:
      return null;
  }
}

/** How `identifier` judges `subject`. Pure in its inputs, so both packs deploying a rule agree. */
export function judge(identifier: string, identifierKey: number, subject: Subject, role: AccountRole, region: string): Verdict {
  const told = story(identifier, subject, role, region);
  if (told) return told;
  const u = unit(subject.key, identifierKey);
  const profile = PROFILES[identifier];
  if (profile) {
    const fail = (role === 'non-production' ? NON_PRODUCTION_FAIL[identifier] : undefined) ?? (profile.fail ?? 0) * ROLE_FACTOR[role];
    if (u < fail) return nonCompliant(profile.says);
    if (profile.notApplicable && u < fail + profile.notApplicable[0]) return notApplicable(profile.notApplicable[1]);
  }
  if (!subject.isAccount && u >= 1 - INSUFFICIENT_DATA) return { complianceType: 'INSUFFICIENT_DATA', annotation: null };
  return COMPLIANT;
}
