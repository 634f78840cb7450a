import { more, num, plural, statusView, XLSX } from './format';
import type { ReportInput } from './input';
import { LIMITS } from './limits';

export function residencyView(input: ReportInput) {
  const { result } = input;
  const r = result.dataResidency;
  const controls = result.controls.filter((c) => r.controls.includes(c.id));
  return {
    allowed: r.allowedRegions.join(', '),
    totalText: `${plural(r.total, 'resource lies', 'resources lie')} outside the allowed regions`,
    controls: controls.map((c) => ({ id: c.id, status: statusView(c.status) })),
    byRegion: r.byRegion.map((x) => ({ region: x.region, resources: num(x.resources), accounts: num(x.accounts) })),
    resources: r.resources.slice(0, LIMITS.residencyResources),
    more: more(r.total - Math.min(r.resources.length, LIMITS.residencyResources), XLSX('Data residency', 'data-residency.csv')),
  };
}
