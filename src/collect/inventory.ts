import type { Resource } from '../evidence/records';
import { toResource } from './config-records';
import { pages, type Page } from './paging';
import type { CollectionRun } from './run';

export interface InventoryOptions {
  /** The Region of rows that do not name theirs. */
  region: string | null;
  /** Which resources belong in the pack (by default all). */
  keep?: (resource: Resource) => boolean;
  /** Told of each resource written. */
  written?: (resource: Resource) => void;
}

/**
 * Writes the resources of an advanced inventory query as its pages arrive (an organisation's
 * inventory is too large to hold), each resource once even if a listing read while Config
 * updates names it twice. A failure midway keeps what was written, and its step leaves a gap.
 * Returns how many were written.
 */
export async function writeInventory(run: CollectionRun, query: (nextToken: string | undefined) => Promise<Page<string>>, options: InventoryOptions): Promise<number> {
  const seen = new Set<string>();
  for await (const rows of pages(query)) {
    for (const row of rows) {
      const resource = toResource(row, options.region);
      const key = [resource.accountId, resource.region, resource.resourceType, resource.resourceId].join('\u0000');
      if (seen.has(key) || (options.keep && !options.keep(resource))) continue;
      seen.add(key);
      await run.write('resources', resource);
      options.written?.(resource);
    }
  }
  return seen.size;
}
