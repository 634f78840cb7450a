import type { FakeData } from './store';
import type { FakeRequest, FakeResponse, FakeService } from './server';

/**
 * AWS Artifact in its restJson1 protocol: GET routes with query parameters, JSON answers,
 * timestamps as ISO 8601 strings, errors with x-amzn-errortype. GetReport hands out a
 * "presigned" URL on the same server, served without SigV4 like an S3 presigned URL.
 */
const ROUTES: Record<string, string> = {
  '/v1/report/list': 'ListReports',
  '/v1/report/getMetadata': 'GetReportMetadata',
  '/v1/report/getTermForReport': 'GetTermForReport',
  '/v1/report/get': 'GetReport',
  '/v1/report/listVersions': 'ListReportVersions',
  '/v1/customer-agreement/list': 'ListCustomerAgreements',
  '/v1/account-settings/get': 'GetAccountSettings',
};

/** The bytes of a fake report file, different per report. */
export const reportFile = (id: string) => Buffer.from(`%PDF-1.7\n% fake AWS Artifact report ${id}\n%%EOF\n`);

export function fakeArtifact(estate: Pick<FakeData, 'accounts' | 'reports' | 'agreements'>, pageSize: number, baseUrl: () => string): FakeService {
  const json = (body: unknown): FakeResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.artifact/` },
    body: JSON.stringify({ message }),
  });
  const paged = <T>(items: readonly T[], q: URLSearchParams) => {
    const start = Number(q.get('nextToken') ?? 0);
    const size = Math.min(pageSize, Number(q.get('maxResults') ?? pageSize));
    return { items: items.slice(start, start + size), nextToken: start + size < items.length ? String(start + size) : undefined };
  };
  const summary = (id: string | null) => {
    const r = estate.reports.find((x) => x.id === id);
    return (
      r && {
        id: r.id,
        name: r.name,
        state: r.state,
        arn: `arn:aws:artifact:us-east-1::report/${r.id}:${r.version}`,
        version: r.version,
        uploadState: 'COMPLETE',
        periodStart: r.period ? `${r.period.start}T00:00:00Z` : undefined,
        periodEnd: r.period ? `${r.period.end}T00:00:00Z` : undefined,
        series: r.series,
        category: r.category,
        companyName: 'AWS',
        acceptanceType: 'EXPLICIT',
      }
    );
  };
  const handlers: Record<string, (q: URLSearchParams) => FakeResponse> = {
    ListReports: (q) => {
      const p = paged(estate.reports, q);
      // The listing of the first report lacks its category, as a listing may: GetReportMetadata has it.
      const reports = p.items.map((r) => summary(r.id)!).map((s) => (s.id === estate.reports[0].id ? { ...s, category: undefined } : s));
      return json({ reports, nextToken: p.nextToken });
    },
    GetReportMetadata: (q) => {
      const s = summary(q.get('reportId'));
      return s ? json({ reportDetails: { ...s, termArn: `arn:aws:artifact:us-east-1::term/term-${s.id.slice(7)}:1` } }) : error(404, 'ResourceNotFoundException', 'Report not found');
    },
    GetTermForReport: (q) => {
      const s = summary(q.get('reportId'));
      return s ? json({ termToken: `term-token-${s.id}`, documentPresignedUrl: `${baseUrl()}/download/terms.pdf` }) : error(404, 'ResourceNotFoundException', 'Report not found');
    },
    GetReport: (q) => {
      const s = summary(q.get('reportId'));
      if (!s) return error(404, 'ResourceNotFoundException', 'Report not found');
      if (q.get('termToken') !== `term-token-${s.id}`) return error(400, 'ValidationException', 'Invalid term token');
      return json({ documentPresignedUrl: `${baseUrl()}/download/${s.id}.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=fake` });
    },
    ListCustomerAgreements: (q) => {
      const p = paged(estate.agreements, q);
      return json({
        customerAgreements: p.items.map((a) => ({
          name: a.name,
          arn: `arn:aws:artifact::${estate.accounts[0]}:customer-agreement/${a.id}`,
          id: a.id,
          agreementArn: `arn:aws:artifact:::agreement/agreement-${a.id.slice(-12)}`,
          awsAccountId: estate.accounts[0],
          effectiveStart: a.effectiveStart,
          ...(a.effectiveEnd ? { effectiveEnd: a.effectiveEnd } : {}),
          state: a.state,
          type: a.type,
          acceptanceTerms: ['terms acknowledged when the agreement was accepted'],
        })),
        nextToken: p.nextToken,
      });
    },
  };
  return {
    operation: (req: FakeRequest) => ROUTES[req.url.pathname] ?? `unknown ${req.url.pathname}`,
    error,
    throttling: { status: 429, code: 'ThrottlingException' },
    handle: (req, operation) => (req.method === 'GET' && handlers[operation] ? handlers[operation](req.url.searchParams) : error(404, 'UnknownOperationException', `${req.url.pathname} is not served by the fake`)),
  };
}

/** The presigned downloads: unsigned GETs of /download/<report id>.pdf. */
export function presignedDownload(url: URL): FakeResponse | undefined {
  const id = /^\/download\/(report-[A-Za-z0-9]{16})\.pdf$/.exec(url.pathname)?.[1];
  if (!id || !url.searchParams.get('X-Amz-Signature')) return undefined;
  return { status: 200, headers: { 'content-type': 'application/pdf' }, body: reportFile(id) };
}
