import type { Resource } from '../evidence/records';
import { ESTATE_SEED, HOME_REGION, SECOND_REGION, STRAY_REGION, strayAccountIndex, type SampleAccount } from './estate';
import { hash32, seedWord, streamFor, UPPER_ALNUM, LOWER_ALNUM, type Random } from './random';
import { COLLECTION_START, DAY, HOUR, MINUTE } from './timeline';

/** What, beyond chance, decides how the rules judge a resource. */
export type Trait = 'postgres' | 'mysql' | 'sqlserver-se' | 'network' | 'unmanaged' | 'public-website' | 'stray';

export interface SampleResource extends Resource {
  /** Seeds the resource's rule outcomes, so every pack deploying the same rule agrees. */
  key: number;
  trait: Trait | null;
  /** Its last configuration change: change-triggered rules evaluated it shortly after. */
  changedAt: number;
}

interface Made {
  resourceId: string;
  resourceName: string | null;
  arn: string | null;
  trait?: Trait;
}

interface Context {
  rng: Random;
  account: SampleAccount;
  region: string;
  /** The resource's ordinal among its type in the account: names are built from it so they never collide. */
  n: number;
}

interface ResourceKind {
  type: string;
  /** Relative share of a security (log archive, keys, audit roles) and of a workload account. */
  weight: { security: number; workload: number };
  /** IAM is global and the trail is multi-Region: Config records them once, in the home Region. */
  homeOnly?: true;
  /** Melbourne holds the disaster-recovery copies only: replica buckets, vaults, their keys and network. */
  disasterRecovery?: true;
  make(c: Context): Made;
}

const WORKLOAD_APPS = ['payroll', 'grants', 'records', 'casework', 'portal', 'gis', 'analytics', 'identity', 'intranet', 'licensing', 'foi', 'correspondence'];
const SECURITY_APPS = ['log-archive', 'siem', 'guardduty', 'securityhub', 'config', 'inspector', 'forensics', 'audit'];
const appsOf = (c: Context) => (c.account.role === 'security' ? SECURITY_APPS : WORKLOAD_APPS);
const REGION_STEM: Record<string, string> = { [HOME_REGION]: 'apse2', [SECOND_REGION]: 'apse4', [STRAY_REGION]: 'use1' };

/** The n-th of a list, numbered on each further pass: records, records-2, records-3... */
function nth(list: readonly string[], n: number): string {
  const round = Math.floor(n / list.length);
  return round ? `${list[n % list.length]}-${round + 1}` : list[n % list.length];
}

/** The n-th application-and-thing pair, e.g. payroll-ingest: every app gets each thing before any repeats. */
function appThing(c: Context, n: number, things: readonly string[]): string {
  const apps = appsOf(c);
  return `${apps[n % apps.length]}-${nth(things, Math.floor(n / apps.length))}`;
}

const arn = (service: string, c: Context, resource: string, accountId = c.account.accountId) =>
  `arn:aws:${service}:${c.region}:${accountId}:${resource}`;
const iamArn = (c: Context, resource: string) => `arn:aws:iam::${c.account.accountId}:${resource}`;
const ec2Id = (prefix: string, c: Context) => `${prefix}-0${c.rng.hex(16)}`;
const iamId = (prefix: string, c: Context) => `${prefix}${c.rng.chars(UPPER_ALNUM, 17)}`;
const bucketName = (purpose: string, c: Context) => `dsa-${c.account.env}-${purpose}-${REGION_STEM[c.region]}-${c.account.accountId.slice(-4)}`;

const BUCKET_PURPOSES = ['records-archive', 'app-uploads', 'static-assets', 'data-lake-raw', 'data-lake-curated', 'reports', 'athena-results', 'terraform-state', 'alb-access-logs', 'ingest-landing', 'exports', 's3-access-logs'];
const SECURITY_BUCKETS = ['cloudtrail-org-logs', 'config-delivery', 'vpc-flow-logs', 'guardduty-findings', 'security-lake', 'forensics-evidence'];

const KINDS: readonly ResourceKind[] = [
  {
    type: 'AWS::S3::Bucket',
    disasterRecovery: true,
    weight: { security: 6, workload: 7 },
    make: (c) => {
      const name = bucketName(nth(c.account.role === 'security' ? SECURITY_BUCKETS : BUCKET_PURPOSES, c.n), c);
      return { resourceId: name, resourceName: name, arn: `arn:aws:s3:::${name}` };
    },
  },
  {
    type: 'AWS::EC2::VPC',
    disasterRecovery: true,
    weight: { security: 1, workload: 1 },
    make: (c) => {
      const id = ec2Id('vpc', c);
      return { resourceId: id, resourceName: null, arn: arn('ec2', c, `vpc/${id}`) };
    },
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    disasterRecovery: true,
    weight: { security: 5, workload: 8 },
    make: (c) => {
      const id = ec2Id('sg', c);
      return { resourceId: id, resourceName: `${c.account.env}-${appThing(c, c.n, ['alb', 'app', 'db', 'endpoints'])}-sg`, arn: arn('ec2', c, `security-group/${id}`) };
    },
  },
  {
    type: 'AWS::EC2::Instance',
    weight: { security: 2, workload: 9 },
    make: (c) => {
      const id = ec2Id('i', c);
      return { resourceId: id, resourceName: null, arn: arn('ec2', c, `instance/${id}`), trait: c.rng.chance(0.08) ? 'unmanaged' : undefined };
    },
  },
  {
    type: 'AWS::EC2::Volume',
    weight: { security: 3, workload: 12 },
    make: (c) => {
      const id = ec2Id('vol', c);
      return { resourceId: id, resourceName: null, arn: arn('ec2', c, `volume/${id}`) };
    },
  },
  {
    type: 'AWS::EC2::Snapshot',
    weight: { security: 1, workload: 5 },
    make: (c) => {
      const id = ec2Id('snap', c);
      // Snapshot ARNs carry no account id.
      return { resourceId: id, resourceName: null, arn: arn('ec2', c, `snapshot/${id}`, '') };
    },
  },
  {
    type: 'AWS::RDS::DBInstance',
    weight: { security: 0, workload: 3 },
    make: (c) => {
      const engine = c.rng.pick(['postgres', 'postgres', 'postgres', 'postgres', 'postgres', 'mysql', 'mysql', 'mysql', 'sqlserver-se'] as const);
      const stem = { postgres: 'pg', mysql: 'mysql', 'sqlserver-se': 'mssql' }[engine];
      const apps = appsOf(c);
      const name = `${c.account.env}-${apps[c.n % apps.length]}-${stem}-${String(Math.floor(c.n / apps.length) + 1).padStart(2, '0')}`;
      // Config identifies a DB instance by its DbiResourceId, not its name.
      return { resourceId: `db-${c.rng.chars(UPPER_ALNUM, 26)}`, resourceName: name, arn: arn('rds', c, `db:${name}`), trait: engine };
    },
  },
  {
    type: 'AWS::RDS::DBCluster',
    weight: { security: 0, workload: 1 },
    make: (c) => {
      const name = `${c.account.env}-${appThing(c, c.n, ['aurora'])}`;
      return { resourceId: `cluster-${c.rng.chars(UPPER_ALNUM, 26)}`, resourceName: name, arn: arn('rds', c, `cluster:${name}`) };
    },
  },
  {
    type: 'AWS::DynamoDB::Table',
    weight: { security: 1, workload: 3 },
    make: (c) => {
      const name = `${c.account.env}-${appThing(c, c.n, ['sessions', 'audit-events', 'lookups', 'jobs', 'idempotency'])}`;
      return { resourceId: name, resourceName: name, arn: arn('dynamodb', c, `table/${name}`) };
    },
  },
  {
    type: 'AWS::EFS::FileSystem',
    weight: { security: 0, workload: 1 },
    make: (c) => {
      const id = ec2Id('fs', c);
      return { resourceId: id, resourceName: null, arn: arn('elasticfilesystem', c, `file-system/${id}`) };
    },
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    weight: { security: 0, workload: 2 },
    make: (c) => {
      const network = c.rng.chance(0.3);
      const name = `${c.account.env}-${appThing(c, c.n, [network ? 'nlb' : 'alb'])}`;
      const lbArn = arn('elasticloadbalancing', c, `loadbalancer/${network ? 'net' : 'app'}/${name}/${c.rng.hex(16)}`);
      // Config identifies load balancers by ARN.
      return { resourceId: lbArn, resourceName: name, arn: lbArn, trait: network ? 'network' : undefined };
    },
  },
  {
    type: 'AWS::ApiGateway::Stage',
    weight: { security: 0, workload: 1 },
    make: (c) => {
      const stage = nth(c.account.role === 'production' ? ['prod', 'v1', 'v2'] : ['dev', 'test', 'uat'], c.n);
      const stageArn = `arn:aws:apigateway:${c.region}::/restapis/${c.rng.chars(LOWER_ALNUM, 10)}/stages/${stage}`;
      return { resourceId: stageArn, resourceName: stage, arn: stageArn };
    },
  },
  {
    type: 'AWS::ACM::Certificate',
    weight: { security: 1, workload: 1.5 },
    make: (c) => {
      const certArn = arn('acm', c, `certificate/${c.rng.uuid()}`);
      const zone = c.account.role === 'production' ? 'dsa.example' : `${c.account.env}.dsa.example`;
      return { resourceId: certArn, resourceName: `${nth(appsOf(c), c.n)}.${zone}`, arn: certArn };
    },
  },
  {
    type: 'AWS::Lambda::Function',
    weight: { security: 8, workload: 9 },
    make: (c) => {
      const name = `${c.account.env}-${appThing(c, c.n, ['ingest', 'notify', 'export', 'scheduler', 'rotate-secret', 'audit-forwarder'])}`;
      return { resourceId: name, resourceName: name, arn: arn('lambda', c, `function:${name}`) };
    },
  },
  {
    type: 'AWS::ECS::TaskDefinition',
    weight: { security: 0, workload: 4 },
    make: (c) => {
      const family = `${c.account.env}-${appThing(c, c.n, ['web', 'worker', 'api'])}`;
      const id = `${family}:${c.rng.between(3, 140)}`;
      return { resourceId: id, resourceName: family, arn: arn('ecs', c, `task-definition/${id}`) };
    },
  },
  {
    type: 'AWS::Logs::LogGroup',
    weight: { security: 14, workload: 12 },
    make: (c) => {
      const apps = appsOf(c);
      const app = `${c.account.env}-${apps[c.n % apps.length]}`;
      const pass = Math.floor(c.n / apps.length);
      const templates = [`/aws/lambda/${app}-ingest`, `/ecs/${app}`, `/aws/rds/instance/${app}-pg-01/postgresql`, `/aws/apigateway/${app}-access`, `/aws/lambda/${app}-notify`, `/${app}/application`];
      const name = nth(templates, pass);
      return { resourceId: name, resourceName: name, arn: arn('logs', c, `log-group:${name}`) };
    },
  },
  {
    type: 'AWS::SNS::Topic',
    weight: { security: 3, workload: 2 },
    make: (c) => {
      const name = `${c.account.env}-${appThing(c, c.n, ['alerts', 'events'])}`;
      const topicArn = arn('sns', c, name);
      return { resourceId: topicArn, resourceName: name, arn: topicArn };
    },
  },
  {
    type: 'AWS::KMS::Key',
    disasterRecovery: true,
    weight: { security: 6, workload: 3 },
    make: (c) => {
      const id = c.rng.uuid();
      return { resourceId: id, resourceName: null, arn: arn('kms', c, `key/${id}`) };
    },
  },
  {
    type: 'AWS::CloudTrail::Trail',
    weight: { security: 0.25, workload: 0.2 },
    homeOnly: true,
    make: (c) => {
      const name = nth([c.account.role === 'security' ? 'dsa-organisation-trail' : `${c.account.env}-account-trail`], c.n);
      return { resourceId: name, resourceName: name, arn: arn('cloudtrail', c, `trail/${name}`) };
    },
  },
  {
    type: 'AWS::Backup::BackupPlan',
    weight: { security: 0.5, workload: 0.5 },
    make: (c) => {
      const id = c.rng.uuid();
      return { resourceId: id, resourceName: `${c.account.env}-${nth(['daily-35d', 'weekly-1y', 'monthly-7y'], c.n)}`, arn: arn('backup', c, `backup-plan:${id}`) };
    },
  },
  {
    type: 'AWS::Backup::BackupVault',
    disasterRecovery: true,
    weight: { security: 0.5, workload: 0.5 },
    make: (c) => {
      const name = `${c.account.env}-${nth(['primary', 'dr-copy', 'air-gapped'], c.n)}-vault`;
      return { resourceId: name, resourceName: name, arn: arn('backup', c, `backup-vault:${name}`) };
    },
  },
  {
    type: 'AWS::Backup::RecoveryPoint',
    disasterRecovery: true,
    weight: { security: 2, workload: 6 },
    make: (c) => {
      const pointArn = arn('backup', c, `recovery-point:${c.rng.uuid().toUpperCase()}`);
      return { resourceId: pointArn, resourceName: null, arn: pointArn };
    },
  },
  {
    type: 'AWS::IAM::User',
    weight: { security: 2, workload: 2 },
    homeOnly: true,
    make: (c) => {
      // Staff sign in through IAM Identity Center; the IAM users left are break-glass and service accounts.
      const name = nth(['break-glass-01', 'break-glass-02', 'svc-ci-deploy', 'svc-backup-report', 'svc-gis-export', 'svc-smtp-relay', 'svc-datasync', 'svc-monitoring'], c.n);
      return { resourceId: iamId('AIDA', c), resourceName: name, arn: iamArn(c, `user/${name}`) };
    },
  },
  {
    type: 'AWS::IAM::Group',
    weight: { security: 1.5, workload: 1 },
    homeOnly: true,
    make: (c) => {
      const name = nth(['break-glass', 'service-accounts', 'auditors', 'billing-readers', 'platform-admins', 'developers'], c.n);
      return { resourceId: iamId('AGPA', c), resourceName: name, arn: iamArn(c, `group/${name}`) };
    },
  },
  {
    type: 'AWS::IAM::Role',
    weight: { security: 25, workload: 10 },
    homeOnly: true,
    make: (c) => {
      const { name, path } = roleName(c);
      return { resourceId: iamId('AROA', c), resourceName: name, arn: iamArn(c, `role/${path}${name}`) };
    },
  },
  {
    type: 'AWS::IAM::Policy',
    weight: { security: 10, workload: 5 },
    homeOnly: true,
    make: (c) => {
      const name = `${c.account.env}-${appThing(c, c.n, ['s3-read', 'kms-use', 'secrets-read', 'sqs-send', 'logs-write'])}`;
      return { resourceId: iamId('ANPA', c), resourceName: name, arn: iamArn(c, `policy/${name}`) };
    },
  },
];

/** Every account has the landing zone's roles and one per Identity Center permission set before any of its own. */
const LANDING_ZONE_ROLES = [
  { name: 'OrganizationAccountAccessRole', path: '' },
  { name: 'aws-controltower-AdministratorExecutionRole', path: '' },
  { name: 'AWSServiceRoleForConfig', path: 'aws-service-role/config.amazonaws.com/' },
];
const PERMISSION_SETS = ['AdministratorAccess', 'ReadOnlyAccess', 'SecurityAudit', 'PlatformEngineer'];

function roleName(c: Context): { name: string; path: string } {
  if (c.n < LANDING_ZONE_ROLES.length) return LANDING_ZONE_ROLES[c.n];
  const set = c.n - LANDING_ZONE_ROLES.length;
  if (set < PERMISSION_SETS.length) {
    return { name: `AWSReservedSSO_${PERMISSION_SETS[set]}_${c.rng.hex(16)}`, path: `aws-reserved/sso.amazonaws.com/${HOME_REGION}/` };
  }
  return { name: `${c.account.env}-${appThing(c, set - PERMISSION_SETS.length, ['task-role', 'lambda-exec', 'ec2-instance', 'backup'])}`, path: '' };
}

/** Splits `total` in proportion to `weights`, exactly, giving leftovers to the largest remainders. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let left = total - counts.reduce((a, b) => a + b, 0), i = 0; left > 0; left--, i++) counts[byRemainder[i]]++;
  return counts;
}

const RECENTLY = COLLECTION_START - 2 * HOUR;

/**
 * Every resource Config records in an account, across its Regions (the same whatever the seed,
 * which only reseeds the keys that decide outcomes): `perAccount` of the
 * account's own, type by type as ListDiscoveredResources pages them, then the few the sample's
 * findings are about, then the Systems Manager compliance items of the managed instances.
 */
export function accountResources(outcomeSeed: number, account: SampleAccount, accountCount: number, perAccount: number): SampleResource[] {
  const rng = streamFor(ESTATE_SEED, `resources:${account.index}`);
  // The keys decide outcomes, so they follow the user's seed while the resources stay the same.
  const salt = hash32(seedWord(outcomeSeed), account.index);
  const out: SampleResource[] = [];
  const add = (type: string, region: string, made: Made, changedAt: number) =>
    out.push({
      accountId: account.accountId,
      region,
      resourceType: type,
      resourceId: made.resourceId,
      resourceName: made.resourceName,
      arn: made.arn,
      key: hash32(salt, out.length),
      trait: made.trait ?? null,
      changedAt,
    });

  const profile = account.role === 'security' ? 'security' : 'workload';
  const counts = apportion(perAccount, KINDS.map((k) => k.weight[profile]));
  KINDS.forEach((kind, k) => {
    for (let n = 0; n < counts[k]; n++) {
      // Drawn for every kind, so that which kinds Melbourne holds leaves the other draws as they were.
      const copy = !kind.homeOnly && rng.chance(0.3);
      const region = copy && kind.disasterRecovery ? SECOND_REGION : HOME_REGION;
      add(kind.type, region, kind.make({ rng, account, region, n }), rng.between(RECENTLY - 45 * DAY, RECENTLY));
    }
  });

  for (const story of storyResources(account, accountCount)) add(story.type, story.region, story.made, story.changedAt);

  for (const instance of out.filter((r) => r.resourceType === 'AWS::EC2::Instance' && r.trait !== 'unmanaged')) {
    // Patch Manager scans nightly; the compliance items carry the instance's id.
    const scanned = COLLECTION_START - rng.between(3 * HOUR, 30 * HOUR);
    for (const type of ['AWS::SSM::PatchCompliance', 'AWS::SSM::AssociationCompliance']) {
      add(type, instance.region, { resourceId: instance.resourceId, resourceName: null, arn: null }, scanned + rng.between(0, 20) * MINUTE);
    }
  }
  return out;
}

interface StoryResource {
  type: string;
  region: string;
  made: Made;
  changedAt: number;
}

/** Named resources behind the sample's headline findings; they exist whatever the scale. */
function storyResources(account: SampleAccount, accountCount: number): StoryResource[] {
  const stories: StoryResource[] = [];
  const id = account.accountId;
  if (account.role === 'production') {
    const site = `dsa-prod-public-website-${id.slice(-4)}`;
    stories.push({
      type: 'AWS::S3::Bucket',
      region: HOME_REGION,
      made: { resourceId: site, resourceName: site, arn: `arn:aws:s3:::${site}`, trait: 'public-website' },
      changedAt: Date.UTC(2026, 9, 28, 5, 12, 40),
    });
    stories.push({
      type: 'AWS::IAM::User',
      region: HOME_REGION,
      made: { resourceId: `AIDA${id}PAYRL`, resourceName: 'svc-legacy-payroll', arn: `arn:aws:iam::${id}:user/svc-legacy-payroll` },
      changedAt: Date.UTC(2026, 5, 30, 1, 4, 9),
    });
  }
  if (account.index === strayAccountIndex(accountCount)) {
    const stray = `dsa-${account.env}-marketing-exports-${id.slice(-4)}`;
    stories.push({
      type: 'AWS::S3::Bucket',
      region: STRAY_REGION,
      made: { resourceId: stray, resourceName: stray, arn: `arn:aws:s3:::${stray}`, trait: 'stray' },
      changedAt: Date.UTC(2026, 9, 2, 4, 37, 15),
    });
  }
  return stories;
}
