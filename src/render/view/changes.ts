import type { Changes, ControlChange } from '../../assess/diff';
import type { Status } from '../../assess/result';
import { needsAttention } from '../statuses';
import { formatTime, more, num, plural, statusView, XLSX } from './format';
import { LIMITS } from './limits';

export function changesView(changes: Changes | null, baseline: string) {
  if (!changes) return null;
  const attention = (st: Status | null) => st !== null && needsAttention(st);
  const changeRank = (c: ControlChange) => (attention(c.current) && !attention(c.earlier) ? 0 : attention(c.earlier) && !attention(c.current) ? 1 : 2);
  const cap = <T>(items: readonly T[], show: (t: T) => string) => {
    const shown = items.slice(0, LIMITS.changesPerList).map(show).join(', ');
    const rest = items.length - LIMITS.changesPerList;
    return rest > 0 ? `${shown} and ${num(rest)} more` : shown;
  };
  const scopeRow = (label: string, counts: [number, number], set: { added: unknown[]; removed: unknown[] }, show: (t: never) => string) => ({
    label,
    earlier: num(counts[0]),
    current: num(counts[1]),
    added: set.added.length ? `${num(set.added.length)}: ${cap(set.added as never[], show)}` : 'none',
    removed: set.removed.length ? `${num(set.removed.length)}: ${cap(set.removed as never[], show)}` : 'none',
  });
  const account = (a: { accountId: string; name: string | null }) => (a.name ? `${a.accountId} (${a.name})` : a.accountId);
  const controlRow = (c: ControlChange) => ({
    id: c.id,
    inReport: c.current !== null,
    earlier: c.earlier ? statusView(c.earlier) : null,
    current: c.current ? statusView(c.current) : null,
  });
  return {
    earlier: { ...changes.earlier, completedAt: formatTime(changes.earlier.completedAt) },
    baselineNote: changes.sameBaseline ? null : `The earlier report assessed the ${changes.earlier.baseline} baseline and this one the ${baseline} baseline, so some controls are in only one of them.`,
    scope: [
      scopeRow('AWS accounts', changes.counts.accounts, changes.accounts, account),
      scopeRow('Regions', changes.counts.regions, changes.regions, (r: string) => r),
      scopeRow('Service categories', changes.counts.categories, changes.categories, (c: string) => c),
      scopeRow('Resource types', changes.counts.resourceTypes, changes.resourceTypes, (t: string) => t),
    ],
    statuses: changes.statusTotals
      .filter((s) => s.earlier || s.current)
      .map((s) => ({ ...statusView(s.status), earlier: num(s.earlier), current: num(s.current), delta: s.current === s.earlier ? '0' : `${s.current > s.earlier ? '+' : '−'}${num(Math.abs(s.current - s.earlier))}` })),
    changed: `${plural(changes.controls.length, 'control', 'controls')} changed status (or are in only one of the two assessments)`,
    nowNeedCount: num(changes.nowNeedAttention.length),
    noLongerCount: num(changes.noLongerNeedAttention.length),
    // Those that now need attention first, then those that no longer do, then the rest, each in catalog order.
    controls: [...changes.controls]
      .sort((a, b) => changeRank(a) - changeRank(b))
      .slice(0, LIMITS.changesPerList * 2)
      .map(controlRow),
    controlsMore: more(changes.controls.length - LIMITS.changesPerList * 2, XLSX('Changes', 'changes.csv')),
  };
}
