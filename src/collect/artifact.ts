import type { Readable } from 'node:stream';
import type { ArtifactAgreement, ArtifactReport } from '../evidence/records';
import { artifactApi, type ArtifactApi, type CustomerAgreement, type ReportSummary } from './artifact-api';
import type { ClientSettings } from './clients';
import type { Collector } from './collector';
import { downloadReport, type DownloadSettings } from './download';
import { ARTIFACT_REGION } from './endpoints';
import type { Where } from './gaps';
import { checked, isoTimestamp, MalformedResponseError } from './malformed';
import { allPages } from './paging';
import type { CollectionRun } from './run';
import type { AccountTarget } from './scope';

const ARTIFACT_COLLECTOR = 'artifact';

export interface ArtifactTally {
  reports: number;
  downloaded: number;
  agreements: number;
}

/**
 * Artifact's reports are AWS's own, the same for every account; the agreements read are those
 * of `account`, the one collect signs in to (the caller's, or the aggregator's).
 */
export function artifactCollector(settings: ClientSettings, account: AccountTarget, downloads: DownloadSettings | null): Collector {
  return {
    name: ARTIFACT_COLLECTOR,
    writes: ['artifactReports', 'artifactAgreements'],
    async collect(run) {
      const api = artifactApi(settings, account.credentials);
      run.progress.expect(1);
      try {
        const t = await collectArtifact(run, api, account.accountId, downloads);
        run.progress.done(1, `artifact: ${t.reports} reports (${t.downloaded} downloaded), ${t.agreements} agreements`);
      } finally {
        api.destroy();
      }
      return { notes: [] };
    },
  };
}

/**
 * AWS Artifact: the metadata of AWS's audit reports (evidence for inherited controls) and the
 * account's agreements. With `downloads`, each report's terms are accepted and its file is
 * stored in the pack's attachments; the file is AWS Confidential, so the report record only
 * references it by hash and renderers never embed it.
 */
async function collectArtifact(run: CollectionRun, api: ArtifactApi, accountId: string, downloads: DownloadSettings | null): Promise<ArtifactTally> {
  const tally: ArtifactTally = { reports: 0, downloaded: 0, agreements: 0 };
  const limiter = run.limits.for('artifact', accountId, ARTIFACT_REGION);
  const call = <T>(send: () => Promise<T>) => limiter.run(send);
  const where = (operation: string, service = 'artifact'): Where => ({ collector: ARTIFACT_COLLECTOR, service, operation, accountId, region: ARTIFACT_REGION });

  const reports = await run.step(where('ListReports'), () => allPages((token) => call(() => api.listReports(token))));
  for (const summary of reports.ok ? reports.value : []) {
    const subject = `report ${summary.id ?? summary.name ?? '?'}`;
    let details = summary;
    // The listing normally has everything; the report's own metadata fills what it lacks.
    if (summary.id && summary.version && !(summary.series && summary.category && summary.periodStart && summary.periodEnd)) {
      const metadata = await run.step(where('GetReportMetadata'), () => call(() => api.getReportMetadata(summary.id!, summary.version!)), subject);
      if (metadata.ok) details = { ...summary, ...metadata.value };
    }
    const record = await run.step(where('ListReports'), async () => toReport(details), subject);
    if (!record.ok) continue;
    if (downloads) {
      const report = record.value;
      const term = await run.step(where('GetTermForReport'), () => call(() => api.getTermForReport(report.id, report.version)).then((o) => required(o.termToken, 'termToken')), subject);
      const url = term.ok
        ? await run.step(where('GetReport'), () => call(() => api.getReport(report.id, report.version, term.value)).then((o) => required(o.documentPresignedUrl, 'documentPresignedUrl')), subject)
        : term;
      const store = (body: Readable) => run.attach(`${report.id}-v${report.version}.pdf`, body, 'application/pdf');
      const file = url.ok ? await run.step(where('GetObject', 's3'), () => downloadReport(url.value, run.ledger, downloads, store), subject) : url;
      if (file.ok) {
        report.attachment = { sha256: file.value.sha256, bytes: file.value.bytes };
        tally.downloaded++;
      }
    }
    await run.write('artifactReports', record.value);
    tally.reports++;
  }

  const agreements = await run.step(where('ListCustomerAgreements'), () => allPages((token) => call(() => api.listCustomerAgreements(token))));
  for (const agreement of agreements.ok ? agreements.value : []) {
    const record = await run.step(where('ListCustomerAgreements'), async () => toAgreement(agreement), `agreement ${agreement.id ?? agreement.name ?? '?'}`);
    if (!record.ok) continue;
    await run.write('artifactAgreements', record.value);
    tally.agreements++;
  }
  return tally;
}

function required(value: string | undefined, field: string): string {
  if (!value) throw new MalformedResponseError(`no ${field} in the response`);
  return value;
}

/** A report's period is two timestamps in Artifact; the pack records the dates (UTC). */
const day = (timestamp: string | undefined) => isoTimestamp(timestamp)?.slice(0, 10);

function toReport(r: ReportSummary): ArtifactReport {
  const start = day(r.periodStart);
  const end = day(r.periodEnd);
  return checked(
    'artifactReports',
    {
      id: r.id,
      name: r.name,
      series: r.series,
      category: r.category,
      version: r.version,
      period: start && end ? { start, end } : null,
      state: r.state,
      attachment: null,
    },
    `report ${r.id ?? '?'}`,
  );
}

function toAgreement(a: CustomerAgreement): ArtifactAgreement {
  return checked(
    'artifactAgreements',
    {
      id: a.id,
      name: a.name,
      type: a.type,
      state: a.state,
      effectiveStart: isoTimestamp(a.effectiveStart),
      effectiveEnd: isoTimestamp(a.effectiveEnd),
    },
    `agreement ${a.id ?? '?'}`,
  );
}
