import { markingBelowBaseline } from '../marking';
import { organisationOf } from '../organisation';
import { formatTime, plural } from './format';
import type { ReportInput } from './input';

export function coverView(input: ReportInput) {
  const { result, system, changes } = input;
  const info = result.pack;
  return {
    organisation: organisationOf(result) ?? 'Organisation not named (--agency, or agency: in the system file)',
    system: system ?? null,
    period: info.period,
    baseline: result.baseline,
    catalog: `ISM ${result.catalog.version}`,
    catalogSource: result.catalog.source,
    statements: result.catalog.statementsLoaded ? 'Included from the official catalog' : 'Not included: the built-in index holds no statement text',
    asOf: result.asOf,
    collected: `${formatTime(info.startedAt)} to ${formatTime(info.completedAt)}`,
    scope: `${plural(info.scope.accounts.length, 'AWS account', 'AWS accounts')}; ${plural(info.scope.regions.length, 'region', 'regions')}`,
    packId: info.packId,
    manifestSha256: info.manifestSha256,
    tool: `${result.tool.name} ${result.tool.version}`,
    compared: changes ? { packId: changes.earlier.packId, period: changes.earlier.period, manifestSha256: changes.earlier.manifestSha256 } : null,
    markingNote: markingBelowBaseline(input.marking, result.baseline),
  };
}
