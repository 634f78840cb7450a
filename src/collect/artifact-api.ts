import type { AwsCredentialIdentityProvider, MetadataBearer, Pluggable } from '@smithy/types';
import { ArtifactRestClient } from './artifact-client';
import { clientConfig, type ClientSettings } from './clients';
import { ARTIFACT_REGION, artifactEndpoint } from './endpoints';
import type { Page } from './paging';

/** The AWS Artifact answers collect reads, in their wire form (timestamps as ISO 8601 strings). */
export interface ReportSummary {
  id?: string;
  name?: string;
  state?: string;
  version?: number;
  periodStart?: string;
  periodEnd?: string;
  series?: string;
  category?: string;
}

export interface CustomerAgreement {
  id?: string;
  name?: string;
  type?: string;
  state?: string;
  effectiveStart?: string;
  effectiveEnd?: string;
}

/** The Artifact operations collect uses, whichever client sends them. */
export interface ArtifactApi {
  listReports(nextToken: string | undefined): Promise<Page<ReportSummary>>;
  getReportMetadata(reportId: string, reportVersion: number): Promise<ReportSummary | undefined>;
  getTermForReport(reportId: string, reportVersion: number): Promise<{ termToken?: string }>;
  getReport(reportId: string, reportVersion: number, termToken: string): Promise<{ documentPresignedUrl?: string }>;
  listCustomerAgreements(nextToken: string | undefined): Promise<Page<CustomerAgreement>>;
  destroy(): void;
}

/** ListReports and ListCustomerAgreements: their largest page. */
export const ARTIFACT_PAGE_SIZE = 300;

/**
 * The SDK's Artifact client when @aws-sdk/client-artifact is installed (an optional
 * dependency: some registries do not carry it), else auditpack's own minimal client.
 */
export function artifactApi(settings: ClientSettings, credentials: AwsCredentialIdentityProvider): ArtifactApi {
  const sdk = loadArtifactSdk();
  if (sdk) return new SdkArtifactApi(sdk, settings, credentials);
  return new ArtifactRestClient(artifactEndpoint(settings.endpointUrl), credentials, settings.maxAttempts, settings.ledger, settings.requestTimeoutMs);
}

/** The part of @aws-sdk/client-artifact used here; the package may be absent, so it is not imported. */
interface ArtifactSdk {
  ArtifactClient: new (config: object) => {
    send(command: object): Promise<Record<string, unknown>>;
    middlewareStack: { use(plugin: Pluggable<object, MetadataBearer>): void };
    destroy(): void;
  };
  ListReportsCommand: new (input: object) => object;
  GetReportMetadataCommand: new (input: object) => object;
  GetTermForReportCommand: new (input: object) => object;
  GetReportCommand: new (input: object) => object;
  ListCustomerAgreementsCommand: new (input: object) => object;
}

function loadArtifactSdk(): ArtifactSdk | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-sdk/client-artifact') as ArtifactSdk;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw e;
  }
}

/** The SDK returns timestamps as Dates; the fallback client's wire form has strings. */
function wireForm<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

class SdkArtifactApi implements ArtifactApi {
  private readonly client: InstanceType<ArtifactSdk['ArtifactClient']>;

  constructor(
    private readonly sdk: ArtifactSdk,
    settings: ClientSettings,
    credentials: AwsCredentialIdentityProvider,
  ) {
    this.client = new sdk.ArtifactClient(clientConfig(settings, ARTIFACT_REGION, credentials));
    this.client.middlewareStack.use(settings.ledger.plugin('artifact'));
  }

  async listReports(nextToken: string | undefined) {
    const o = await this.client.send(new this.sdk.ListReportsCommand({ maxResults: ARTIFACT_PAGE_SIZE, nextToken }));
    return { items: wireForm<ReportSummary[]>(o.reports ?? []), nextToken: o.nextToken as string | undefined };
  }

  async getReportMetadata(reportId: string, reportVersion: number) {
    const o = await this.client.send(new this.sdk.GetReportMetadataCommand({ reportId, reportVersion }));
    return wireForm<ReportSummary | undefined>(o.reportDetails ?? null) ?? undefined;
  }

  async getTermForReport(reportId: string, reportVersion: number) {
    const o = await this.client.send(new this.sdk.GetTermForReportCommand({ reportId, reportVersion }));
    return { termToken: o.termToken as string | undefined };
  }

  async getReport(reportId: string, reportVersion: number, termToken: string) {
    const o = await this.client.send(new this.sdk.GetReportCommand({ reportId, reportVersion, termToken }));
    return { documentPresignedUrl: o.documentPresignedUrl as string | undefined };
  }

  async listCustomerAgreements(nextToken: string | undefined) {
    const o = await this.client.send(new this.sdk.ListCustomerAgreementsCommand({ maxResults: ARTIFACT_PAGE_SIZE, nextToken }));
    return { items: wireForm<CustomerAgreement[]>(o.customerAgreements ?? []), nextToken: o.nextToken as string | undefined };
  }

  destroy(): void {
    this.client.destroy();
  }
}
