import type { EvidenceKind } from '../evidence/kinds';
import type { PackDescription } from '../evidence/manifest';
import type { CollectionRun } from './run';

export type PackScope = PackDescription['scope'];

/** What a collector hands back besides its records. */
export interface CollectorReport {
  /** What the summary should point out. */
  notes: string[];
  /**
   * The accounts and Regions the evidence came from, from a collector that finds them out
   * itself (an aggregator's); otherwise the pack's scope is the one collect was given.
   */
  scope?: PackScope;
}

/**
 * One source of evidence. collect runs its collectors in turn and records each one's name and
 * times in the pack manifest; each is handed a run that writes only the kinds it declares, so
 * `writes` is what a reader of the pack may rely on. What a collector needs beyond the run
 * (clients, credentials, options) it is given when it is made.
 */
export interface Collector {
  /** Its name in the manifest and in every gap it leaves. */
  readonly name: string;
  /** The evidence kinds it writes, and the only ones its run accepts. */
  readonly writes: readonly EvidenceKind[];
  collect(run: CollectionRun): Promise<CollectorReport>;
}
